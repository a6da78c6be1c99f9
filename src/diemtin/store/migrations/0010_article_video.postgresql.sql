-- Whether an article's body holds a video block, kept beside it: the sidebar pool
-- asked each candidate's whole body (a LIKE over thousands of TOASTed bodies per pool).
-- The store's writers leave it to this trigger.
ALTER TABLE articles ADD COLUMN has_video BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE articles SET has_video = TRUE WHERE strpos(body, '"k":"video"') > 0;

CREATE FUNCTION articles_mark_video() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.has_video := strpos(NEW.body, '"k":"video"') > 0; RETURN NEW; END $$;

CREATE OR REPLACE TRIGGER articles_video BEFORE INSERT OR UPDATE OF body ON articles
FOR EACH ROW EXECUTE FUNCTION articles_mark_video();
