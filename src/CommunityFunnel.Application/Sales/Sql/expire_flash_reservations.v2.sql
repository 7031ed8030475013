-- As v1, except that a reservation the member says they paid waits for the host instead of expiring: the money
-- may be on its way.
CREATE OR REPLACE FUNCTION funnel.expire_flash_reservations(p_now timestamptz, p_batch int)
RETURNS TABLE (flash_sale_id uuid, units int)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
    v_sales uuid[];
    v_members uuid[];
    v_quantities int[];
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('funnel.expire_flash_reservations')) THEN
        RETURN;
    END IF;

    WITH expired AS (
        UPDATE funnel.orders o SET status = 'Expired', cancelled_at = p_now
        WHERE o.id IN (
            SELECT d.id FROM funnel.orders d
            WHERE d.status = 'Pending' AND d.flash_sale_id IS NOT NULL AND d.payment_due_at <= p_now
              AND d.payment_reported_at IS NULL
            ORDER BY d.payment_due_at LIMIT p_batch
            FOR UPDATE SKIP LOCKED)
          AND o.status = 'Pending' AND o.payment_reported_at IS NULL
        RETURNING o.flash_sale_id, o.member_id, o.quantity)
    SELECT array_agg(e.flash_sale_id), array_agg(e.member_id), array_agg(e.quantity)
    INTO v_sales, v_members, v_quantities FROM expired e;
    IF v_sales IS NULL THEN
        RETURN;
    END IF;

    UPDATE funnel.flash_sale_buyers b SET quantity = b.quantity - x.q
    FROM (SELECT u.s, u.m, sum(u.q)::int AS q FROM unnest(v_sales, v_members, v_quantities) AS u(s, m, q) GROUP BY u.s, u.m) x
    WHERE b.flash_sale_id = x.s AND b.member_id = x.m;

    RETURN QUERY
    UPDATE funnel.flash_sales fs SET remaining = fs.remaining + x.q
    FROM (SELECT u.s, sum(u.q)::int AS q FROM unnest(v_sales, v_quantities) AS u(s, q) GROUP BY u.s) x
    WHERE fs.id = x.s
    RETURNING fs.id, x.q;
END
$fn$;
