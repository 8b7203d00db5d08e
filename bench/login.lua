-- wrk script: POST /api/auth/login with the benchmark user's credentials.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"loginIdentifier":"bench@example.com","password":"Load-test-2026!","type":"clients"}'
