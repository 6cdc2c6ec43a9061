-- wrk script for bench/authorize.sh: POST /v1/authorize with the token in TOKEN_FILE.
local f = assert(io.open(os.getenv("TOKEN_FILE"), "r"))
local token = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = '{"action":"update","stack":"acme/payments/dev"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
