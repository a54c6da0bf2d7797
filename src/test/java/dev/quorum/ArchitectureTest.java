package dev.quorum;

import dev.quorum.conversation.Conversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import rules of issues 11 and 12, read from the compiled classes (every class a class file names in
 * its constant pool, so a fully qualified use counts as much as an import): the core never
 * references an adapter package, no adapter references another, and only the repository hosts
 * ({@code dev.quorum.repo} and its subpackages) reference JGit: everything else goes through {@code RepoHost}. No library: the constant pool
 * is read here (the build compiles for release 21, where {@code java.lang.classfile} is not there).
 */
class ArchitectureTest {
    /** The core: what the issue names, and the conversation model they share. */
    private static final List<String> CORE = List.of("request", "approval", "evidence", "action", "agent", "command", "conversation");
    private static final List<String> ADAPTERS = List.of("console", "slack", "discord", "github");
    private static final String JGIT = "org/eclipse/jgit/";
    private static final String HOSTS = "dev/quorum/repo/";

    @TempDir
    Path fixture;

    @Test
    void theCoreNeverReferencesAnAdapterAndNoAdapterAnother() throws Exception {
        Path classes = Path.of(Conversation.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        List<String> broken = violations(classes);

        assertThat(broken).isEmpty();
        assertThat(classNames(classes)).as("the rules ran over the whole build")
                .contains("dev/quorum/approval/ApprovalService", "dev/quorum/chat/slack/SlackAdapter");
        assertThat(ClassRefs.read(classes.resolve("dev/quorum/repo/LocalHost.class")).references())
                .as("JGit references are seen where they are allowed").anyMatch(r -> r.startsWith(JGIT));
    }

    @Test
    void aPlantedJGitReferenceOutsideTheHostsIsCaughtWhetherImportedFullyQualifiedOrOnlyInASignature() throws Exception {
        compile("dev/quorum/evidence/Peeks.java", """
                package dev.quorum.evidence;
                import org.eclipse.jgit.lib.ObjectId;
                class Peeks { String zero() { return ObjectId.zeroId().name(); } }
                """);
        compile("dev/quorum/web/Qualified.java", """
                package dev.quorum.web;
                class Qualified { boolean valid(String n) { return org.eclipse.jgit.lib.Repository.isValidRefName(n); } }
                """);
        compile("dev/quorum/action/Signature.java", """
                package dev.quorum.action;
                class Signature { void take(org.eclipse.jgit.lib.Ref ref) { } }
                """);
        compile("dev/quorum/repo/remote/Fine.java", """
                package dev.quorum.repo.remote;
                class Fine { String zero() { return org.eclipse.jgit.lib.ObjectId.zeroId().name(); } }
                """);

        assertThat(violations(fixture)).containsExactly(
                "dev/quorum/action/Signature references org/eclipse/jgit/lib/Ref (only dev.quorum.repo.. uses JGit)",
                "dev/quorum/evidence/Peeks references org/eclipse/jgit/lib/ObjectId (only dev.quorum.repo.. uses JGit)",
                "dev/quorum/web/Qualified references org/eclipse/jgit/lib/Repository (only dev.quorum.repo.. uses JGit)");
    }

    @Test
    void aPlantedReferenceIsCaughtWhetherImportedOrFullyQualified() throws Exception {
        compile("dev/quorum/approval/Planted.java", """
                package dev.quorum.approval;
                import dev.quorum.chat.console.ConsoleAdapter;
                class Planted { Object room() { return ConsoleAdapter.ROOM; } }
                """);
        compile("dev/quorum/chat/slack/Borrows.java", """
                package dev.quorum.chat.slack;
                class Borrows { String name() { return dev.quorum.chat.console.ConsoleAdapter.ROOM.channel(); } }
                """);
        compile("dev/quorum/chat/console/Fine.java", """
                package dev.quorum.chat.console;
                class Fine { Object model() { return dev.quorum.conversation.ReplyFitter.Limits.NONE; } }
                """);

        assertThat(violations(fixture)).containsExactly(
                "dev/quorum/approval/Planted references dev/quorum/chat/console/ConsoleAdapter (the core never references an adapter)",
                "dev/quorum/chat/slack/Borrows references dev/quorum/chat/console/ConsoleAdapter (adapters do not reference each other)");
    }

    /** Every broken rule, one line each, sorted. */
    static List<String> violations(Path classes) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path file : classFiles(classes)) {
            ClassRefs c = ClassRefs.read(file);
            String own = packageOf(c.name());
            for (String ref : c.references()) {
                if (ref.startsWith(JGIT) && !own.startsWith(HOSTS)) {
                    out.add(c.name() + " references " + ref + " (only dev.quorum.repo.. uses JGit)");
                }
                String target = packageOf(ref);
                if (!target.startsWith("dev/quorum/chat/")) continue;
                if (isCore(own)) {
                    out.add(c.name() + " references " + ref + " (the core never references an adapter)");
                } else if (own.startsWith("dev/quorum/chat/") && !adapterOf(own).equals(adapterOf(target))) {
                    out.add(c.name() + " references " + ref + " (adapters do not reference each other)");
                }
            }
        }
        return out.stream().sorted().toList();
    }

    private static boolean isCore(String pkg) {
        return CORE.stream().anyMatch(p -> pkg.equals("dev/quorum/" + p) || pkg.startsWith("dev/quorum/" + p + "/"));
    }

    /** {@code console} for {@code dev/quorum/chat/console/...}; an adapter's subpackages are the adapter. */
    private static String adapterOf(String pkg) {
        String first = pkg.substring("dev/quorum/chat/".length()).split("/")[0];
        return ADAPTERS.contains(first) ? first : pkg;
    }

    private static String packageOf(String className) {
        int slash = className.lastIndexOf('/');
        return slash < 0 ? "" : className.substring(0, slash) + "/";
    }

    private static List<Path> classFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static List<String> classNames(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path f : classFiles(root)) names.add(ClassRefs.read(f).name());
        return names;
    }

    private void compile(String path, String source) throws IOException, URISyntaxException {
        Path src = fixture.resolveSibling(fixture.getFileName() + "-src").resolve(path);
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = Path.of(Conversation.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + java.io.File.pathSeparator
                + Path.of(org.eclipse.jgit.lib.ObjectId.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = javac.run(null, null, errors, "-d", fixture.toString(), "-cp", classpath, src.toString());
        assertThat(exit).as(errors.toString()).isZero();
    }

    /**
     * A class's name and every class its constant pool names: {@code CONSTANT_Class} entries and
     * the class names inside descriptors and signatures ({@code Ldev/quorum/...;}).
     */
    record ClassRefs(String name, TreeSet<String> references) {
        static ClassRefs read(Path file) {
            try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
                if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file: " + file);
                in.readUnsignedShort(); // minor
                in.readUnsignedShort(); // major
                int count = in.readUnsignedShort();
                String[] utf8 = new String[count];
                int[] classIndex = new int[count];
                for (int i = 1; i < count; i++) {
                    int tag = in.readUnsignedByte();
                    switch (tag) {
                        case 1 -> utf8[i] = in.readUTF();
                        case 7 -> classIndex[i] = in.readUnsignedShort();
                        case 8, 16, 19, 20 -> in.readUnsignedShort();
                        case 15 -> in.skipNBytes(3);
                        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                        case 5, 6 -> {
                            in.skipNBytes(8);
                            i++; // eight-byte constants take two entries
                        }
                        default -> throw new IOException("unknown constant pool tag " + tag + " in " + file);
                    }
                }
                in.readUnsignedShort(); // access flags
                String name = utf8[classIndex[in.readUnsignedShort()]];
                TreeSet<String> refs = new TreeSet<>();
                for (int i = 1; i < count; i++) {
                    if (classIndex[i] != 0) refs.add(elementOf(utf8[classIndex[i]]));
                    if (utf8[i] != null) descriptorClasses(utf8[i], refs);
                }
                refs.remove(name);
                refs.removeIf(r -> r.isEmpty() || r.length() == 1);
                return new ClassRefs(name, refs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code [Ldev/quorum/X;} (an array class) names {@code dev/quorum/X}. */
        private static String elementOf(String classEntry) {
            String s = classEntry.replaceFirst("^\\[+", "");
            return s.startsWith("L") && s.endsWith(";") ? s.substring(1, s.length() - 1) : s;
        }

        private static void descriptorClasses(String text, TreeSet<String> refs) {
            for (String prefix : List.of("Ldev/quorum/", "L" + JGIT)) {
                for (int at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
                    int end = indexOfAny(text, at + 1);
                    if (end > at) refs.add(text.substring(at + 1, end));
                }
            }
        }

        private static int indexOfAny(String text, int from) {
            for (int i = from; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == ';' || c == '<' || c == '.') return i;
            }
            return -1;
        }
    }
}
