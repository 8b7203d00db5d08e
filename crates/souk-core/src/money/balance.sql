SELECT
    (SELECT value FROM platform_settings WHERE key = $1) AS settings,
    (SELECT balance FROM ledger_accounts WHERE key = $2) AS available,
    (SELECT balance FROM ledger_accounts WHERE key = $3) AS fee_debt,
    (SELECT CAST(SUM(a.balance) AS BIGINT)
     FROM ledger_accounts a
     WHERE a.kind = 'escrow'
       AND a.owner_id IN (SELECT c.id FROM contracts c WHERE c.client_id = $4)) AS in_escrow,
    (SELECT CAST(SUM(w.amount) AS BIGINT)
     FROM withdrawals w
     WHERE w.user_id = $4 AND w.status = 'pending') AS withdrawing
