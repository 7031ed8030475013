-- Takes the wave's next unclaimed packet for a member, skipping packets other claims hold this instant, so hundreds
-- of members pressing at once never queue on one row. A member's second packet of the wave breaks the unique index
-- (wave_id, claimed_by): the caller reads that as "already claimed". No row: every packet is taken.
UPDATE funnel.red_envelope_packets AS packet
SET claimed_by = @member, claimed_at = @now
WHERE (packet.wave_id, packet.position) = (
    SELECT wave_id, position FROM funnel.red_envelope_packets
    WHERE wave_id = @wave AND claimed_by IS NULL
    ORDER BY position
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING packet.amount AS "Value"
