-- wrk request for the proxy benchmark: the quick-start agent's POST /greet with a small JSON body.
-- Every setup sends exactly this request; run.sh adds the Authorization header for Berth with -H.
wrk.method = "POST"
wrk.body = '{"name":"bench"}'
wrk.headers["Content-Type"] = "application/json"
