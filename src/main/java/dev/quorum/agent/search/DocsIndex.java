package dev.quorum.agent.search;

import dev.quorum.agent.workspace.TextFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BM25 index of the text files in the knowledge folders, cut into passages, with fields {@code path},
 * {@code title} and {@code content}.
 *
 * <p>Kept current by a cheap rescan instead of a {@code WatchService}: before a search, when the last scan is older
 * than {@link IndexSettings#rescanInterval()}, it walks the folders comparing each file's mtime and size with what
 * it indexed, re-indexes changed and new files and drops removed ones. A walk over a few thousand files costs
 * milliseconds, needs no thread, works on every file system (inotify misses network mounts and needs one watch per
 * directory plus overflow handling), and survives restarts: the stamps are stored in the index itself.
 *
 * <p>Safe for concurrent use: searches run in parallel on a {@link SearcherManager}; one scan runs at a time and
 * other searches meanwhile use the previous snapshot rather than wait (except the very first search, which waits).
 */
public final class DocsIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DocsIndex.class);
    private static final Set<String> EXTENSIONLESS_TEXT =
            Set.of("README", "CHANGELOG", "LICENSE", "NOTICE", "CONTRIBUTING", "Makefile", "Dockerfile");
    /** Files without extension that are usually Markdown. */
    private static final Set<String> PROSE_NAMES = Set.of("readme", "changelog", "license", "notice", "contributing");
    private static final int MAX_QUERY_CHARS = 500;
    /** With hybrid search, BM25 proposes this many candidates per passage asked for (at least 30). */
    private static final int CANDIDATES_PER_RESULT = 6;

    private static final String PATH = "path";
    private static final String PATH_TEXT = "path_text";
    private static final String TITLE = "title";
    private static final String CONTENT = "content";
    private static final String START_LINE = "start_line";
    private static final String END_LINE = "end_line";
    private static final String MTIME = "mtime";
    private static final String SIZE = "size";
    private static final String[] SEARCHED_FIELDS = {TITLE, PATH_TEXT, CONTENT};
    private static final Map<String, Float> BOOSTS = Map.of(TITLE, 2.0f, PATH_TEXT, 1.5f, CONTENT, 1.0f);

    private final List<KnowledgeFolder> folders;
    private final IndexSettings settings;
    private final Directory directory;
    private final DocsAnalyzer analyzer = new DocsAnalyzer();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final PassageSplitter splitter;
    private final Optional<EmbeddingReranker> reranker;
    private final ReentrantLock scanLock = new ReentrantLock();
    /** What is indexed, by path; guarded by {@link #scanLock}. */
    private final Map<String, FileStamp> indexed;
    private volatile long lastScanNanos;
    private volatile boolean scanned;

    private record FileStamp(long mtimeNanos, long size) {
    }

    /** What one rescan changed. */
    public record RescanResult(int added, int updated, int removed) {
    }

    private DocsIndex(Directory directory, List<KnowledgeFolder> folders, IndexSettings settings,
                      Optional<EmbeddingReranker> reranker) throws IOException {
        this.directory = directory;
        this.reranker = reranker;
        this.folders = List.copyOf(folders);
        this.settings = settings;
        this.splitter = new PassageSplitter(settings.passageChars());
        this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        this.indexed = loadStamps(writer);
        this.searchers = new SearcherManager(writer, null);
    }

    /** An index kept on disk under {@code indexDirectory} (created if missing); survives restarts. */
    public static DocsIndex onDisk(Path indexDirectory, List<KnowledgeFolder> folders, IndexSettings settings)
            throws IOException {
        Files.createDirectories(indexDirectory);
        return new DocsIndex(FSDirectory.open(indexDirectory), folders, settings, rerankerFor(settings));
    }

    /** An index in memory, rebuilt on each start: for tests and small folders. */
    public static DocsIndex inMemory(List<KnowledgeFolder> folders, IndexSettings settings) throws IOException {
        return new DocsIndex(new ByteBuffersDirectory(), folders, settings, rerankerFor(settings));
    }

    /** An in-memory index whose searches are re-ranked by {@code reranker}: for tests of hybrid search. */
    static DocsIndex inMemory(List<KnowledgeFolder> folders, IndexSettings settings, EmbeddingReranker reranker)
            throws IOException {
        return new DocsIndex(new ByteBuffersDirectory(), folders, settings, Optional.of(reranker));
    }

    private static Optional<EmbeddingReranker> rerankerFor(IndexSettings settings) {
        return settings.hybrid() ? EmbeddingReranker.discover() : Optional.empty();
    }

    /** Whether searches are hybrid (BM25 re-ranked by embeddings) rather than lexical only. */
    public boolean hybrid() {
        return reranker.isPresent();
    }

    public List<KnowledgeFolder> folders() {
        return folders;
    }

    /**
     * The best passages for {@code query} (plain words; Lucene syntax is escaped), best first. Rescans first when
     * due.
     *
     * @throws IOException when the index cannot be read
     */
    public List<Passage> search(String query, int limit) throws IOException {
        rescanIfDue();
        String text = query.length() <= MAX_QUERY_CHARS ? query : query.substring(0, MAX_QUERY_CHARS);
        Query parsed;
        try {
            parsed = new MultiFieldQueryParser(SEARCHED_FIELDS, analyzer, BOOSTS).parse(QueryParser.escape(text));
        } catch (ParseException | IllegalArgumentException e) {
            return List.of();
        }
        IndexSearcher searcher = searchers.acquire();
        try {
            int candidates = reranker.isPresent() ? Math.max(30, limit * CANDIDATES_PER_RESULT) : limit;
            TopDocs top = searcher.search(parsed, candidates);
            StoredFields stored = searcher.storedFields();
            List<Passage> passages = new ArrayList<>();
            for (ScoreDoc hit : top.scoreDocs) {
                Document doc = stored.document(hit.doc);
                passages.add(new Passage(doc.get(PATH), doc.get(TITLE),
                        doc.getField(START_LINE).numericValue().intValue(),
                        doc.getField(END_LINE).numericValue().intValue(), doc.get(CONTENT), hit.score));
            }
            return reranker.map(r -> r.rerank(text, passages, limit)).orElse(passages);
        } finally {
            searchers.release(searcher);
        }
    }

    /**
     * Brings the index up to date with the folders now, whatever the interval. Blocks while another scan runs.
     *
     * @throws IOException when the index cannot be written (unreadable files are skipped and logged)
     */
    public RescanResult rescan() throws IOException {
        scanLock.lock();
        try {
            return rescanLocked();
        } finally {
            scanLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        scanLock.lock();
        try {
            searchers.close();
            writer.close();
            directory.close();
        } finally {
            scanLock.unlock();
        }
    }

    private void rescanIfDue() throws IOException {
        if (scanned && System.nanoTime() - lastScanNanos < settings.rescanInterval().toNanos()) {
            return;
        }
        if (!scanned) {
            rescan();
        } else if (scanLock.tryLock()) {
            try {
                rescanLocked();
            } finally {
                scanLock.unlock();
            }
        }
    }

    private RescanResult rescanLocked() throws IOException {
        Map<String, Path> files = new HashMap<>();
        Map<String, FileStamp> stamps = new HashMap<>();
        for (KnowledgeFolder folder : folders) {
            collect(folder, files, stamps);
        }
        int added = 0;
        int updated = 0;
        int removed = 0;
        for (Map.Entry<String, FileStamp> entry : stamps.entrySet()) {
            FileStamp before = indexed.get(entry.getKey());
            if (entry.getValue().equals(before)) {
                continue;
            }
            index(entry.getKey(), files.get(entry.getKey()), entry.getValue());
            if (before == null) {
                added++;
            } else {
                updated++;
            }
        }
        for (String path : List.copyOf(indexed.keySet())) {
            if (!stamps.containsKey(path)) {
                writer.deleteDocuments(new Term(PATH, path));
                indexed.remove(path);
                removed++;
            }
        }
        if (added + updated + removed > 0) {
            writer.commit();
            searchers.maybeRefreshBlocking();
            LOG.info("Docs index: {} added, {} updated, {} removed", added, updated, removed);
        }
        lastScanNanos = System.nanoTime();
        scanned = true;
        return new RescanResult(added, updated, removed);
    }

    private void collect(KnowledgeFolder folder, Map<String, Path> files, Map<String, FileStamp> stamps) {
        Path root;
        try {
            // the real path, so a folder configured through a symbolic link is walked, not seen as one link
            root = folder.directory().toRealPath();
        } catch (IOException e) {
            LOG.warn("Knowledge folder {} ({}) is missing; its files are dropped from the index",
                    folder.name(), folder.directory());
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skip = !dir.equals(root)
                            && (name.startsWith(".") || TextFiles.SKIPPED_DIRECTORIES.contains(name));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && attrs.size() <= settings.maxFileBytes() && indexable(file)) {
                        String key = folder.name() + "/" + root.relativize(file).toString().replace('\\', '/');
                        files.put(key, file);
                        stamps.put(key, new FileStamp(attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS), attrs.size()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not scan knowledge folder {} ({}): {}", folder.name(), root, e.toString());
            LOG.debug("Could not scan knowledge folder {}", folder.name(), e);
        }
    }

    private boolean indexable(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
            return false; // dotfiles: .env and friends hold secrets, not docs
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return EXTENSIONLESS_TEXT.contains(name);
        }
        return settings.extensions().contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private void index(String key, Path file, FileStamp stamp) throws IOException {
        String text;
        try {
            text = TextFiles.read(file, (int) settings.maxFileBytes()).text();
        } catch (IOException unreadable) {
            // binary or vanished: remember the stamp so the next scan does not read it again
            writer.deleteDocuments(new Term(PATH, key));
            indexed.put(key, stamp);
            return;
        }
        String title = title(file, text);
        List<Document> docs = new ArrayList<>();
        for (PassageSplitter.Piece piece : splitter.split(text)) {
            Document doc = new Document();
            doc.add(new StringField(PATH, key, Field.Store.YES));
            doc.add(new TextField(PATH_TEXT, key, Field.Store.NO));
            doc.add(new TextField(TITLE, title, Field.Store.YES));
            doc.add(new TextField(CONTENT, piece.text(), Field.Store.YES));
            doc.add(new StoredField(START_LINE, piece.startLine()));
            doc.add(new StoredField(END_LINE, piece.endLine()));
            doc.add(new StoredField(MTIME, stamp.mtimeNanos()));
            doc.add(new StoredField(SIZE, stamp.size()));
            docs.add(doc);
        }
        if (docs.isEmpty()) {
            // an empty file still needs a document, or its stamp would be lost on restart
            Document doc = new Document();
            doc.add(new StringField(PATH, key, Field.Store.YES));
            doc.add(new StoredField(MTIME, stamp.mtimeNanos()));
            doc.add(new StoredField(SIZE, stamp.size()));
            docs.add(doc);
        }
        writer.updateDocuments(new Term(PATH, key), docs);
        indexed.put(key, stamp);
    }

    /** A Markdown file's first heading, else the file's name (a {@code # } line of a script is a comment). */
    private static String title(Path file, String text) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean markdown = name.endsWith(".md") || name.endsWith(".markdown") || PROSE_NAMES.contains(name);
        for (String line : markdown ? text.lines().limit(20).toList() : List.<String>of()) {
            if (line.startsWith("# ")) {
                return line.substring(2).strip();
            }
        }
        return file.getFileName().toString();
    }

    private static Map<String, FileStamp> loadStamps(IndexWriter writer) throws IOException {
        Map<String, FileStamp> stamps = new HashMap<>();
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                StoredFields stored = leaf.reader().storedFields();
                Bits live = leaf.reader().getLiveDocs();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    Document fields = stored.document(doc, Set.of(PATH, MTIME, SIZE));
                    stamps.put(fields.get(PATH), new FileStamp(
                            fields.getField(MTIME).numericValue().longValue(),
                            fields.getField(SIZE).numericValue().longValue()));
                }
            }
        }
        return stamps;
    }
}
