-- Ledgers are append-only: whatever the code path, an entry is never edited or deleted, only added. The function names
-- the table it guards, so every ledger (rebates, store credit) shares it.
CREATE OR REPLACE FUNCTION funnel.refuse_ledger_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
