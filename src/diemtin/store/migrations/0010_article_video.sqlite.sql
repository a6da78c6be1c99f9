-- Whether an article's body holds a video block, kept beside it: the sidebar pool
-- asked each candidate's whole body (a LIKE over thousands of bodies per pool).
-- The store's writers leave it to these triggers; an insert without a video costs
-- one instr() over the body and no extra write.
ALTER TABLE articles ADD COLUMN has_video INTEGER NOT NULL DEFAULT 0;

UPDATE articles SET has_video = 1 WHERE instr(body, '"k":"video"') > 0;

CREATE TRIGGER articles_video_ai AFTER INSERT ON articles
WHEN instr(new.body, '"k":"video"') > 0
BEGIN
  UPDATE articles SET has_video = 1 WHERE id = new.id;
END;

CREATE TRIGGER articles_video_au AFTER UPDATE OF body ON articles
WHEN (instr(new.body, '"k":"video"') > 0) <> new.has_video
BEGIN
  UPDATE articles SET has_video = (instr(new.body, '"k":"video"') > 0) WHERE id = new.id;
END;
