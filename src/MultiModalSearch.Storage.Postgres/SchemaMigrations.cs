using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// The schema, as an append-only list: never edit a published migration, add a new one.
/// Choices are explained in docs/storage.md.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "extension and collections", """
            CREATE EXTENSION IF NOT EXISTS vector;

            -- One model per collection: distances between embeddings of different models mean nothing.
            -- vector_type picks the pgvector type used to store and index the embeddings (HNSW indexes
            -- at most 2000 dimensions for vector and 4000 for halfvec).
            CREATE TABLE collections (
                id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name          text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
                model_id      text NOT NULL,
                embedding_dim integer NOT NULL,
                vector_type   text NOT NULL DEFAULT 'halfvec' CHECK (vector_type IN ('halfvec', 'vector')),
                created_at    timestamptz NOT NULL DEFAULT now(),
                CHECK (embedding_dim >= 1 AND embedding_dim <= CASE vector_type WHEN 'vector' THEN 2000 ELSE 4000 END)
            );
            """),
        new(2, "assets", """
            -- One row per path. content_hash is null until a worker has read the file; several paths may share it.
            CREATE TABLE assets (
                id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                collection_id integer NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
                path          text NOT NULL,
                content_hash  bytea CHECK (octet_length(content_hash) = 32),
                media_type    text,
                width         integer,
                height        integer,
                bytes         bigint NOT NULL CHECK (bytes >= 0),
                file_mtime    timestamptz NOT NULL,
                -- EXIF DateTimeOriginal has no time zone: it is the camera's wall clock, so no timestamptz.
                exif_taken_at timestamp,
                camera_make   text,
                camera_model  text,
                gps_lat       double precision CHECK (gps_lat BETWEEN -90 AND 90),
                gps_lon       double precision CHECK (gps_lon BETWEEN -180 AND 180),
                orientation   smallint CHECK (orientation BETWEEN 1 AND 8),
                status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'indexed', 'failed', 'removed')),
                error         text,
                claimed_by    text,
                claimed_at    timestamptz,
                indexed_at    timestamptz,
                updated_at    timestamptz NOT NULL DEFAULT now(),
                UNIQUE (collection_id, path)
            );
            -- Small partial indexes: claims scan only pending rows, the failure list only failed ones.
            CREATE INDEX assets_pending_idx ON assets (collection_id, id) WHERE status = 'pending';
            CREATE INDEX assets_failed_idx ON assets (collection_id, updated_at DESC) WHERE status = 'failed';
            -- Search joins nearest contents back to their paths.
            CREATE INDEX assets_content_idx ON assets (collection_id, content_hash) WHERE content_hash IS NOT NULL;
            """),
        new(3, "embeddings", """
            -- One row per distinct content per collection: identical files are embedded once.
            -- Exactly one of the two columns is used, as the collection's vector_type says. Both are untyped
            -- (no dimension) because collections differ in dimension; each collection gets its own partial
            -- HNSW index on an expression cast to its dimension, created with the collection.
            CREATE TABLE embeddings (
                collection_id  integer NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
                content_hash   bytea NOT NULL CHECK (octet_length(content_hash) = 32),
                embedding      vector,
                embedding_half halfvec,
                created_at     timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (collection_id, content_hash),
                CHECK ((embedding IS NULL) <> (embedding_half IS NULL))
            );
            """),
        new(4, "thumbnails and text", """
            -- A thumbnail depends on the content only, not on the model: shared by all collections.
            CREATE TABLE thumbnails (
                content_hash bytea PRIMARY KEY CHECK (octet_length(content_hash) = 32),
                webp         bytea NOT NULL,
                created_at   timestamptz NOT NULL DEFAULT now()
            );

            -- The 'simple' configuration neither stems nor drops stop words: captions may be in any
            -- language and file names are not prose.
            CREATE TABLE text_items (
                id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                asset_id bigint NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
                kind     text NOT NULL CHECK (kind IN ('caption', 'description', 'filename')),
                text     text NOT NULL,
                tsv      tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
                UNIQUE (asset_id, kind)
            );
            CREATE INDEX text_items_tsv_idx ON text_items USING gin (tsv);
            """),
        new(5, "paths as bytes", """
            -- Unix file names are bytes and need not be UTF-8 (old cameras, Windows shares, zip files). A path is
            -- identified by its exact bytes; path keeps a readable form for display (bytes that are not UTF-8 as \xNN).
            ALTER TABLE assets ADD COLUMN path_bytes bytea;
            UPDATE assets SET path_bytes = convert_to(path, 'UTF8');
            ALTER TABLE assets ALTER COLUMN path_bytes SET NOT NULL;
            ALTER TABLE assets ADD CONSTRAINT assets_collection_path_bytes_key UNIQUE (collection_id, path_bytes);
            ALTER TABLE assets DROP CONSTRAINT assets_collection_id_path_key;
            CREATE INDEX assets_path_idx ON assets (collection_id, path);
            """),
        new(6, "model fingerprints", """
            -- What the collection's model is (a hash of its configuration, vocabularies and samples of its weights), so
            -- changed weights under the same path are refused and the same model under another path is accepted.
            ALTER TABLE collections ADD COLUMN model_fingerprint text;
            """),
        new(7, "query service: visibility, api keys, file names, filters", """
            -- Public collections are readable by anyone who reaches the service; private ones only with one of their keys.
            ALTER TABLE collections ADD COLUMN visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private'));

            -- Keys are random 256-bit secrets, so a plain SHA-256 is enough to make a stolen table useless (nothing to
            -- brute-force, unlike passwords); the secret itself is shown once, when the key is created.
            CREATE TABLE api_keys (
                id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                collection_id integer NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
                access        text NOT NULL CHECK (access IN ('read', 'write')),
                secret_sha256 bytea NOT NULL UNIQUE CHECK (octet_length(secret_sha256) = 32),
                created_at    timestamptz NOT NULL DEFAULT now(),
                revoked_at    timestamptz
            );

            -- Secrets every service process on this database shares (signed thumbnail URLs), so processes stay stateless.
            CREATE TABLE service_secrets (
                name       text PRIMARY KEY,
                secret     bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );

            -- Hybrid search: an exact file-name match (with or without its extension), and the words of the path.
            -- text_pattern_ops serves both = and LIKE 'stem.%' whatever the database's collation.
            CREATE INDEX assets_file_name_idx ON assets (collection_id, lower(regexp_replace(path, '^.*/', '')) text_pattern_ops)
                WHERE status = 'indexed';
            CREATE INDEX assets_path_words_idx ON assets USING gin (to_tsvector('simple', translate(path, '/_-.', '    ')))
                WHERE status = 'indexed';
            -- The date filter and sort.
            CREATE INDEX assets_taken_idx ON assets (collection_id, exif_taken_at) WHERE status = 'indexed';
            """),
        new(8, "documents: passages, figures, page renders", """
            -- One row per distinct document content per collection, like embeddings: identical files are ingested once.
            -- The content's embedding row (its CLIP text embedding of title and opening) anchors it: when the embedding
            -- goes (the last path holding it was pruned or changed), the trigger below takes the document with it.
            CREATE TABLE documents (
                id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                collection_id integer NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
                content_hash  bytea NOT NULL CHECK (octet_length(content_hash) = 32),
                format        text NOT NULL,
                title         text,
                -- [{"number", "width", "height", "text_layer", "words"}]: page sizes in points, for the page viewer.
                pages         jsonb NOT NULL,
                warnings      text[] NOT NULL DEFAULT '{}',
                text_model    text,
                created_at    timestamptz NOT NULL DEFAULT now(),
                UNIQUE (collection_id, content_hash)
            );

            -- Boxes are PDF points with a top-left origin (BoundingBox); box_* is the passage's box on its first page.
            -- Full text uses the 'english' configuration (stemming): documents are prose, unlike photo captions and file
            -- names, and a question rarely uses a passage's exact word forms.
            CREATE TABLE document_passages (
                id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                document_id  bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
                ordinal      integer NOT NULL,
                text         text NOT NULL,
                heading_path jsonb NOT NULL,
                first_page   integer NOT NULL,
                last_page    integer NOT NULL,
                box_left     double precision,
                box_top      double precision,
                box_right    double precision,
                box_bottom   double precision,
                boxes        jsonb NOT NULL,
                token_count  integer NOT NULL,
                embedding    vector,
                search_text  text NOT NULL,
                tsv          tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED,
                UNIQUE (document_id, ordinal)
            );
            CREATE INDEX document_passages_tsv_idx ON document_passages USING gin (tsv);

            CREATE TABLE document_figures (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                document_id     bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
                ordinal         integer NOT NULL,
                kind            text NOT NULL,
                page            integer NOT NULL,
                box_left        double precision,
                box_top         double precision,
                box_right       double precision,
                box_bottom      double precision,
                caption         text,
                reference       text,
                description     text NOT NULL,
                search_text     text NOT NULL,
                crop_webp       bytea,
                crop_width      integer,
                crop_height     integer,
                image_embedding vector,
                text_embedding  vector,
                tsv             tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED,
                UNIQUE (document_id, ordinal)
            );
            CREATE INDEX document_figures_tsv_idx ON document_figures USING gin (tsv);

            -- Page images for the viewer, rendered once per (document, page, dpi).
            CREATE TABLE document_page_renders (
                document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
                page        integer NOT NULL,
                dpi         integer NOT NULL,
                webp        bytea NOT NULL,
                width       integer NOT NULL,
                height      integer NOT NULL,
                created_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (document_id, page, dpi)
            );

            CREATE FUNCTION documents_follow_embeddings() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM documents d WHERE d.collection_id = OLD.collection_id AND d.content_hash = OLD.content_hash;
                RETURN OLD;
            END
            $$;
            CREATE TRIGGER embeddings_drop_documents AFTER DELETE ON embeddings
                FOR EACH ROW EXECUTE FUNCTION documents_follow_embeddings();
            """),
    ];
}
