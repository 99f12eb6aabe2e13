namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// The SQL of the document tables (documents, passages, figures, page renders), apart from <see cref="StorageSql"/> so
/// the two grow without touching each other. Values always travel as parameters.
/// </summary>
internal static class DocumentSql
{
    // A redone flush replaces the content's rows: passages and figures go by cascade.
    public const string DeleteDocument = "DELETE FROM documents WHERE collection_id = @collectionId AND content_hash = @contentHash";

    public const string InsertDocument = """
        INSERT INTO documents (collection_id, content_hash, format, title, pages, warnings, text_model)
        VALUES (@collectionId, @contentHash, @format, @title, @pages::jsonb, @warnings, @textModel)
        RETURNING id
        """;

    public const string InsertPassage = """
        INSERT INTO document_passages (document_id, ordinal, text, heading_path, first_page, last_page,
            box_left, box_top, box_right, box_bottom, boxes, token_count, embedding, search_text)
        VALUES (@documentId, @ordinal, @text, @headingPath::jsonb, @firstPage, @lastPage,
            @boxLeft, @boxTop, @boxRight, @boxBottom, @boxes::jsonb, @tokenCount, @embedding, @searchText)
        """;

    public const string InsertFigure = """
        INSERT INTO document_figures (document_id, ordinal, kind, page, box_left, box_top, box_right, box_bottom,
            caption, reference, description, search_text, crop_webp, crop_width, crop_height, image_embedding, text_embedding)
        VALUES (@documentId, @ordinal, @kind, @page, @boxLeft, @boxTop, @boxRight, @boxBottom,
            @caption, @reference, @description, @searchText, @cropWebp, @cropWidth, @cropHeight, @imageEmbedding, @textEmbedding)
        """;

    // Live documents: those an indexed path of the collection holds (rows of a content whose run died before its
    // flush committed stay invisible until the next run replaces them).
    public const string LiveDocuments = """
        SELECT d.* FROM documents d
        WHERE d.collection_id = @collectionId
          AND EXISTS (SELECT 1 FROM assets a WHERE a.collection_id = d.collection_id AND a.content_hash = d.content_hash AND a.status = 'indexed')
        """;

    public const string Count = $"""
        WITH live AS ({LiveDocuments})
        SELECT (SELECT count(*) FROM live) AS Documents,
               (SELECT coalesce(sum(jsonb_array_length(pages)), 0) FROM live) AS Pages,
               (SELECT count(*) FROM document_passages p JOIN live ON p.document_id = live.id) AS Passages,
               (SELECT count(*) FROM document_figures f JOIN live ON f.document_id = live.id) AS Figures,
               (SELECT count(*) FROM document_figures f JOIN live ON f.document_id = live.id WHERE f.crop_webp IS NOT NULL) AS FigureCrops
        """;

    // Live documents with the path shown for them (the first of the indexed paths holding the content).
    private const string LiveWithPath = """
        live AS (
            SELECT d.id, d.text_model,
                   (SELECT min(a.path) FROM assets a
                    WHERE a.collection_id = d.collection_id AND a.content_hash = d.content_hash AND a.status = 'indexed') AS path
            FROM documents d WHERE d.collection_id = @collectionId
        )
        """;

    // The question as an OR of its stemmed terms: a question's words are rarely all in the passage that answers it.
    private const string Question = """
        query AS (SELECT replace(plainto_tsquery('english', @question)::text, ' & ', ' | ')::tsquery AS query),
        terms AS (SELECT array(SELECT unnest(tsvector_to_array(to_tsvector('english', @question)))) AS terms)
        """;

    private const string PassageColumns = """
        p.id AS Id, p.document_id AS DocumentId, live.path AS Path, p.first_page AS Page,
        p.box_left AS BoxLeft, p.box_top AS BoxTop, p.box_right AS BoxRight, p.box_bottom AS BoxBottom,
        p.text AS Text, p.heading_path::text AS HeadingPath
        """;

    private const string FigureColumns = """
        f.id AS Id, f.document_id AS DocumentId, live.path AS Path, f.page AS Page,
        f.box_left AS BoxLeft, f.box_top AS BoxTop, f.box_right AS BoxRight, f.box_bottom AS BoxBottom,
        f.search_text AS Text, '[]' AS HeadingPath
        """;

    public const string SearchPassageText = $"""
        WITH {LiveWithPath}, {Question}
        SELECT {PassageColumns}, ts_rank_cd(p.tsv, query.query, 1)::float8 AS Score,
               array(SELECT unnest(tsvector_to_array(p.tsv)) INTERSECT SELECT unnest(terms.terms)) AS Matched
        FROM document_passages p JOIN live ON live.id = p.document_id AND live.path IS NOT NULL, query, terms
        WHERE p.tsv @@ query.query
        ORDER BY Score DESC LIMIT @limit
        """;

    public const string SearchFigureText = $"""
        WITH {LiveWithPath}, {Question}
        SELECT {FigureColumns}, ts_rank_cd(f.tsv, query.query, 1)::float8 AS Score,
               array(SELECT unnest(tsvector_to_array(f.tsv)) INTERSECT SELECT unnest(terms.terms)) AS Matched
        FROM document_figures f JOIN live ON live.id = f.document_id AND live.path IS NOT NULL, query, terms
        WHERE f.tsv @@ query.query
        ORDER BY Score DESC LIMIT @limit
        """;

    // Exact scans: a document collection holds thousands of passages, not millions (no HNSW index to keep up).
    public const string SearchPassageVectors = $"""
        WITH {LiveWithPath}
        SELECT {PassageColumns}, (1 - (p.embedding <=> @query))::float8 AS Score, ARRAY[]::text[] AS Matched
        FROM document_passages p JOIN live ON live.id = p.document_id AND live.path IS NOT NULL AND live.text_model = @textModel
        WHERE p.embedding IS NOT NULL
        ORDER BY p.embedding <=> @query LIMIT @limit
        """;

    public const string SearchFigureTextVectors = $"""
        WITH {LiveWithPath}
        SELECT {FigureColumns}, (1 - (f.text_embedding <=> @query))::float8 AS Score, ARRAY[]::text[] AS Matched
        FROM document_figures f JOIN live ON live.id = f.document_id AND live.path IS NOT NULL AND live.text_model = @textModel
        WHERE f.text_embedding IS NOT NULL
        ORDER BY f.text_embedding <=> @query LIMIT @limit
        """;

    public const string SearchFigureImages = $"""
        WITH {LiveWithPath}
        SELECT {FigureColumns}, (1 - (f.image_embedding <=> @query))::float8 AS Score, ARRAY[]::text[] AS Matched
        FROM document_figures f JOIN live ON live.id = f.document_id AND live.path IS NOT NULL
        WHERE f.image_embedding IS NOT NULL
        ORDER BY f.image_embedding <=> @query LIMIT @limit
        """;

    // Per question term, how many passages and figure texts of live documents hold it (the GIN indexes answer each).
    public const string TermFrequencies = $"""
        WITH {LiveWithPath}, terms AS (SELECT unnest(tsvector_to_array(to_tsvector('english', @question))) AS term)
        SELECT t.term AS Term,
               (SELECT count(*) FROM document_passages p JOIN live ON live.id = p.document_id AND live.path IS NOT NULL
                WHERE p.tsv @@ quote_literal(t.term)::tsquery)
             + (SELECT count(*) FROM document_figures f JOIN live ON live.id = f.document_id AND live.path IS NOT NULL
                WHERE f.tsv @@ quote_literal(t.term)::tsquery) AS Frequency
        FROM terms t
        """;

    public const string TextUnits = $"""
        WITH {LiveWithPath}
        SELECT (SELECT count(*) FROM document_passages p JOIN live ON live.id = p.document_id AND live.path IS NOT NULL)
             + (SELECT count(*) FROM document_figures f JOIN live ON live.id = f.document_id AND live.path IS NOT NULL)
        """;

    public const string TextModels = $"""
        WITH {LiveWithPath}
        SELECT DISTINCT text_model FROM live WHERE path IS NOT NULL AND text_model IS NOT NULL ORDER BY text_model
        """;

    public const string FigureCrop = $"""
        WITH {LiveWithPath}
        SELECT f.crop_webp FROM document_figures f JOIN live ON live.id = f.document_id AND live.path IS NOT NULL
        WHERE f.id = @figureId AND f.crop_webp IS NOT NULL
        """;

    public const string Document = $"""
        WITH {LiveWithPath}
        SELECT d.id AS Id, live.path AS Path, d.format AS Format, d.pages::text AS Pages
        FROM documents d JOIN live ON live.id = d.id AND live.path IS NOT NULL
        WHERE d.id = @documentId
        """;

    public const string PageRender = "SELECT webp FROM document_page_renders WHERE document_id = @documentId AND page = @page AND dpi = @dpi";

    public const string PutPageRender = """
        INSERT INTO document_page_renders (document_id, page, dpi, webp, width, height)
        VALUES (@documentId, @page, @dpi, @webp, @width, @height)
        ON CONFLICT DO NOTHING
        """;
}
