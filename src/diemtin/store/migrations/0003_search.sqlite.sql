-- Full-text search (diemtin.search). Words are folded in Python (đ -> d, no tone
-- marks) and kept in search_docs; FTS5 finds the articles holding every word,
-- and Python ranks them (BM25F) from the title, sapo and exact words kept here.

CREATE TABLE search_docs (
  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  sapo TEXT NOT NULL,
  -- accented words of title and sapo as spelled, for ranking exact matches first
  exact TEXT NOT NULL,
  body TEXT NOT NULL
);

-- detail=none keeps only which articles hold a word: ranking happens in Python,
-- so positions would only make the index 8 times bigger and slower to read.
-- The ascii tokenizer splits on ASCII spaces and punctuation only: words arrive
-- split and folded, and a non-ASCII letter left by folding stays in its word.
CREATE VIRTUAL TABLE search_fts USING fts5(
  title, sapo, body,
  content='search_docs', content_rowid='article_id', tokenize='ascii', detail='none'
);

-- Titles alone, for suggestions by word prefix.
CREATE VIRTUAL TABLE search_titles USING fts5(
  title,
  content='search_docs', content_rowid='article_id', tokenize='ascii', detail='none',
  prefix='2 3'
);

CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
  INSERT INTO search_fts (rowid, title, sapo, body)
  VALUES (new.article_id, new.title, new.sapo, new.body);
  INSERT INTO search_titles (rowid, title) VALUES (new.article_id, new.title);
END;

CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, sapo, body)
  VALUES ('delete', old.article_id, old.title, old.sapo, old.body);
  INSERT INTO search_titles (search_titles, rowid, title)
  VALUES ('delete', old.article_id, old.title);
END;

CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, sapo, body)
  VALUES ('delete', old.article_id, old.title, old.sapo, old.body);
  INSERT INTO search_fts (rowid, title, sapo, body)
  VALUES (new.article_id, new.title, new.sapo, new.body);
  INSERT INTO search_titles (search_titles, rowid, title)
  VALUES ('delete', old.article_id, old.title);
  INSERT INTO search_titles (rowid, title) VALUES (new.article_id, new.title);
END;

-- Articles whose text is not indexed yet. Triggers fill it whoever writes the
-- article, so nothing is missed; index_article / index_pending empty it.
CREATE TABLE search_queue (
  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
);

CREATE TRIGGER search_articles_ai AFTER INSERT ON articles BEGIN
  INSERT OR IGNORE INTO search_queue (article_id) VALUES (new.id);
END;

CREATE TRIGGER search_articles_au AFTER UPDATE OF title, sapo, body_text ON articles
WHEN old.title IS NOT new.title OR old.sapo IS NOT new.sapo OR old.body_text IS NOT new.body_text
BEGIN
  INSERT OR IGNORE INTO search_queue (article_id) VALUES (new.id);
END;

-- The articles already stored are indexed by diemtin.search.index_pending.
INSERT INTO search_queue (article_id) SELECT id FROM articles;

-- The filters read this instead of the article rows, whose bodies span
-- overflow pages that SQLite would walk to reach the columns after them.
CREATE INDEX search_filter ON articles (id, status, published_at, category_id, source_id);

-- Suggestions: titles by prefix of their folded key.
CREATE INDEX search_title_key ON articles (title_key);
