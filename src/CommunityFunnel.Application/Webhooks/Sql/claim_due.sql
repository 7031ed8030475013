-- Due deliveries of active subscriptions that are not paused, oldest first, marked Sending under a lease. Rows another
-- sender holds are skipped (SKIP LOCKED), so instances share the queue without sending anything twice at once.
WITH due AS (
    SELECT d.id
    FROM funnel.webhook_deliveries d
    WHERE d.status = 'Pending' AND d.next_attempt_at <= @now
      AND EXISTS (
          SELECT 1 FROM funnel.webhook_subscriptions s
          WHERE s.id = d.subscription_id AND s.is_active AND (s.paused_until IS NULL OR s.paused_until <= @now))
    ORDER BY d.next_attempt_at, d.id
    LIMIT @limit
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE funnel.webhook_deliveries d
SET status = 'Sending', claimed_until = @claimed_until, attempts = d.attempts + 1, last_attempt_at = @now
FROM due, funnel.webhook_subscriptions s
WHERE d.id = due.id AND s.id = d.subscription_id
RETURNING d.id, d.attempts, d.consecutive_failures, d.give_up_at, d.event_id, d.event_type, d.body, d.subscription_id, s.url, s.protected_secret
