-- A receiver that asked for time (Retry-After) or gave no answer: none of its deliveries is claimed before the pause ends.
UPDATE funnel.webhook_subscriptions s
SET paused_until = v.until
FROM unnest(@subscription_ids::uuid[], @untils::timestamptz[]) AS v(id, until)
WHERE s.id = v.id AND (s.paused_until IS NULL OR s.paused_until < v.until)
