-- The event types some active subscription wants: messages of other types are not even turned into bodies.
SELECT DISTINCT unnest(events) FROM funnel.webhook_subscriptions WHERE is_active
