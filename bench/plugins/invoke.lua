-- wrk request for the plugin benchmark: one call of the text-analysis plugin. Berth's invoke endpoint and the plugin's own
-- /execute both take this body (the plugin reads inputs and ignores what it does not know); run.sh adds the token with -H.
wrk.method = "POST"
wrk.body = '{"inputs":{"text":"the quick brown fox jumps over the lazy dog"}}'
wrk.headers["Content-Type"] = "application/json"
