-- A member's stage under a shared lock (held to the end of the transaction), callable inside a larger query: a payment
-- holds off the revocation of its referrer's partnership this way without a round trip of its own. Only a VOLATILE
-- function may lock, and only a CASE that needs its answer calls it, so a query takes the lock only when it should.
CREATE OR REPLACE FUNCTION funnel.hold_member_stage(p_member uuid)
RETURNS text
LANGUAGE sql VOLATILE AS $fn$
    SELECT stage FROM funnel.members WHERE id = p_member FOR SHARE;
$fn$;
