-- What each attempt came to. Only a claim that is still this sender's is updated (same attempt number, still
-- Sending): one whose lease ran out belongs to whoever claimed it next.
UPDATE funnel.webhook_deliveries d
SET status = v.status,
    next_attempt_at = coalesce(v.next_attempt_at, d.next_attempt_at),
    claimed_until = NULL,
    consecutive_failures = v.consecutive_failures,
    last_attempt_at = v.attempted_at,
    last_status_code = v.status_code,
    last_error = v.error,
    finished_at = v.finished_at
FROM unnest(@ids::bigint[], @attempts::int[], @statuses::text[], @next_attempts::timestamptz[], @consecutive_failures::int[],
            @attempted_ats::timestamptz[], @status_codes::int[], @errors::text[], @finished_ats::timestamptz[])
    AS v(id, attempt, status, next_attempt_at, consecutive_failures, attempted_at, status_code, error, finished_at)
WHERE d.id = v.id AND d.status = 'Sending' AND d.attempts = v.attempt
