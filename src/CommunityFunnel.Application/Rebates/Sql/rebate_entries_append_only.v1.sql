-- The rebate ledger is append-only: whatever the code path, an entry is never edited or deleted, only added.
CREATE OR REPLACE FUNCTION funnel.refuse_ledger_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rebate_entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS rebate_entries_append_only ON funnel.rebate_entries;
CREATE TRIGGER rebate_entries_append_only
    BEFORE UPDATE OR DELETE ON funnel.rebate_entries
    FOR EACH ROW EXECUTE FUNCTION funnel.refuse_ledger_change();
