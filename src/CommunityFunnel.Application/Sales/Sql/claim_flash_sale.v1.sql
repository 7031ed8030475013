-- One round trip per claim. The stock row is touched last so its lock is held only until commit; a sold-out
-- sale raises CF409 so the member counter and the order inserted before it roll back with the statement.
CREATE OR REPLACE FUNCTION funnel.claim_flash_sale(p_sale uuid, p_member uuid, p_quantity int, p_key text, p_order uuid, p_now timestamptz)
RETURNS TABLE (r_outcome text, r_order_id uuid, r_quantity int, r_remaining int, r_payment_due_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
    v_sale record;
    v_first record;
    v_stage text;
    v_held int;
    v_left int;
BEGIN
    IF p_key IS NOT NULL THEN
        SELECT o.id, o.member_id, o.quantity, o.payment_due_at INTO v_first
        FROM funnel.orders o WHERE o.flash_sale_id = p_sale AND o.idempotency_key = p_key;
        IF FOUND THEN
            IF v_first.member_id <> p_member THEN
                RETURN QUERY SELECT 'key_reused', NULL::uuid, 0, NULL::int, NULL::timestamptz;
            ELSE
                RETURN QUERY SELECT 'replayed', v_first.id, v_first.quantity, NULL::int, v_first.payment_due_at;
            END IF;
            RETURN;
        END IF;
    END IF;

    SELECT s.group_id, s.product_id, s.price, s.currency, s.per_member_limit, s.min_stage, s.starts_at, s.ends_at,
           s.cancelled_at, s.payment_window, p.tier, g.is_archived
    INTO v_sale
    FROM funnel.flash_sales s
    JOIN funnel.products p ON p.id = s.product_id
    JOIN funnel.groups g ON g.id = s.group_id
    WHERE s.id = p_sale;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unknown_sale', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
    END IF;
    IF v_sale.cancelled_at IS NOT NULL OR v_sale.is_archived OR p_now < v_sale.starts_at OR p_now >= v_sale.ends_at THEN
        RETURN QUERY SELECT 'not_live', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
    END IF;

    SELECT m.stage INTO v_stage FROM funnel.members m WHERE m.id = p_member;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unknown_member', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM funnel.group_memberships gm WHERE gm.group_id = v_sale.group_id AND gm.member_id = p_member) THEN
        RETURN QUERY SELECT 'not_in_group', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
    END IF;
    IF array_position({{stage_order}}, v_stage)
       < array_position({{stage_order}}, v_sale.min_stage) THEN
        RETURN QUERY SELECT 'stage_too_low', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
    END IF;

    -- The per-member counter: the conflict arm locks the member's row and checks the limit on its latest version.
    INSERT INTO funnel.flash_sale_buyers AS b (flash_sale_id, member_id, quantity)
    SELECT p_sale, p_member, p_quantity WHERE p_quantity <= v_sale.per_member_limit
    ON CONFLICT (flash_sale_id, member_id) DO UPDATE SET quantity = b.quantity + excluded.quantity
        WHERE b.quantity + excluded.quantity <= v_sale.per_member_limit;
    IF NOT FOUND THEN
        SELECT b.quantity INTO v_held FROM funnel.flash_sale_buyers b WHERE b.flash_sale_id = p_sale AND b.member_id = p_member;
        RETURN QUERY SELECT 'limit_reached', NULL::uuid, coalesce(v_held, 0), NULL::int, NULL::timestamptz; RETURN;
    END IF;

    INSERT INTO funnel.orders (id, member_id, group_id, product_id, tier, quantity, unit_price, currency, status, created_at,
                               payment_due_at, flash_sale_id, idempotency_key)
    VALUES (p_order, p_member, v_sale.group_id, v_sale.product_id, v_sale.tier, p_quantity, v_sale.price, v_sale.currency,
            'Pending', p_now, p_now + v_sale.payment_window, p_sale, p_key);

    UPDATE funnel.flash_sales s SET remaining = s.remaining - p_quantity
    WHERE s.id = p_sale AND s.remaining >= p_quantity
    RETURNING s.remaining INTO v_left;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'sold_out' USING ERRCODE = 'CF409',
            DETAIL = (SELECT s.remaining::text FROM funnel.flash_sales s WHERE s.id = p_sale);
    END IF;

    RETURN QUERY SELECT 'claimed', p_order, p_quantity, v_left, p_now + v_sale.payment_window;
END
$fn$;
