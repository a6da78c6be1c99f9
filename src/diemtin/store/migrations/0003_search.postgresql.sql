-- Full-text search (diemtin.search). Words are folded in Python (đ -> d, no tone
-- marks), so no extension (unaccent) is needed. The GIN index finds the articles
-- holding every word, and Python ranks them (BM25F) from the title, sapo and
-- exact words kept here, exactly as on SQLite.

CREATE TABLE search_docs (
  article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  sapo TEXT NOT NULL,
  -- accented words of title and sapo as spelled, for ranking exact matches first
  exact TEXT NOT NULL,
  -- every distinct folded word of title, sapo and body, without positions
  words tsvector NOT NULL,
  -- the title's words alone, for suggestions by word prefix
  title_words tsvector NOT NULL
);
CREATE INDEX search_docs_words ON search_docs USING GIN (words);
CREATE INDEX search_docs_title_words ON search_docs USING GIN (title_words);

-- Articles whose text is not indexed yet. Triggers fill it whoever writes the
-- article, so nothing is missed; index_article / index_pending empty it.
CREATE TABLE search_queue (
  article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
);

CREATE FUNCTION search_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO search_queue (article_id) VALUES (NEW.id) ON CONFLICT DO NOTHING; RETURN NULL; END $$;

-- "OR REPLACE" (PostgreSQL 14+) also keeps the migration splitter from waiting
-- for the END; that closes an SQLite trigger body.
CREATE OR REPLACE TRIGGER search_articles_ai AFTER INSERT ON articles
FOR EACH ROW EXECUTE FUNCTION search_enqueue();

CREATE OR REPLACE TRIGGER search_articles_au AFTER UPDATE OF title, sapo, body_text ON articles
FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.sapo IS DISTINCT FROM NEW.sapo
  OR OLD.body_text IS DISTINCT FROM NEW.body_text)
EXECUTE FUNCTION search_enqueue();

-- The articles already stored are indexed by diemtin.search.index_pending.
INSERT INTO search_queue (article_id) SELECT id FROM articles;

-- Suggestions: titles by prefix of their folded key, compared byte-wise.
CREATE INDEX search_title_key ON articles (title_key COLLATE "C");
