SELECT u.*, x.*
FROM users u
LEFT JOIN (
    SELECT 1 AS x_part, s.id AS x_id, s.slug AS x_slug, s.name_en AS x_name_en,
        s.name_ar AS x_name_ar, s.description_en AS x_description_en,
        s.description_ar AS x_description_ar, s.icon AS x_icon, s.active AS x_active,
        s.commission_bps AS x_commission_bps, s.sort_order AS x_sort_order,
        s.created_at AS x_created_at, s.updated_at AS x_updated_at
    FROM user_skills k
    JOIN services s ON s.id = k.service_id
    WHERE k.user_id = $1
    UNION ALL
    SELECT 2, p.id, p.file_key, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, p.created_at, NULL
    FROM portfolio_images p
    WHERE p.user_id = $1
) x ON 1 = 1
WHERE u.id = $1
