-- A claim in one statement, one round trip, committed on its own: a member who was in the group when the rain started
-- takes the wave's next unclaimed packet, skipping packets other claims hold this instant (hundreds pressing at once
-- never queue on one row), and the payout (store credit or a coupon worth the packet) is written with it. A member's
-- second packet of the wave breaks the unique index (wave_id, claimed_by): the caller reads that as "already
-- claimed". Without an amount, the other columns say why, as of the statement's start: not eligible, claimed before,
-- or no packet left (packets left but none taken: other claims held them all this instant).
WITH eligible AS (
    SELECT 1 FROM funnel.group_memberships
    WHERE group_id = @group AND member_id = @member AND joined_at <= @starts_at
), taken AS (
    UPDATE funnel.red_envelope_packets AS packet
    SET claimed_by = @member, claimed_at = @now
    WHERE EXISTS (SELECT 1 FROM eligible)
      AND (packet.wave_id, packet.position) = (
        SELECT wave_id, position FROM funnel.red_envelope_packets
        WHERE wave_id = @wave AND claimed_by IS NULL
        ORDER BY position
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING packet.amount
), credit AS (
    INSERT INTO funnel.credit_entries (id, member_id, currency, amount, kind, source_id, created_at)
    SELECT @payout_id, @member, @currency, amount, 'RainPacket', @wave, @now FROM taken WHERE @payout_kind = 'Credit'
), coupon AS (
    INSERT INTO funnel.coupons (id, member_id, currency, amount_off, min_order, expires_at, source_id, created_at)
    SELECT @payout_id, @member, @currency, amount, @coupon_min_order, @coupon_expires_at, @wave, @now FROM taken WHERE @payout_kind = 'Coupon'
)
SELECT (SELECT amount FROM taken) AS amount,
       EXISTS (SELECT 1 FROM eligible) AS eligible,
       EXISTS (SELECT 1 FROM funnel.red_envelope_packets WHERE wave_id = @wave AND claimed_by = @member) AS claimed_before,
       EXISTS (SELECT 1 FROM funnel.red_envelope_packets WHERE wave_id = @wave AND claimed_by IS NULL) AS any_left
