-- Claims whose lease ran out: the sender died or stopped before recording an answer. The delivery is due again (at
-- least once: the receiver may have had it, and deduplicates on the event id), and the log says what happened.
WITH reclaimed AS (
    UPDATE funnel.webhook_deliveries
    SET status = 'Pending', claimed_until = NULL
    WHERE status = 'Sending' AND claimed_until < @now
    RETURNING id, attempts, last_attempt_at
)
INSERT INTO funnel.webhook_attempts (delivery_id, number, attempted_at, status_code, error, duration_ms)
SELECT id, attempts, last_attempt_at, NULL, 'No outcome recorded: the sender stopped during this attempt, so it is sent again.', 0
FROM reclaimed
