package dev.quorum.evidence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text before it is stored or posted. Each secret becomes {@value #MASK}.
 *
 * <ul>
 *   <li>The exact values it was given, and their encoded forms ({@link SecretForms}): JSON-escaped,
 *       percent-encoded, hex, and base64 (standard and URL-safe, padded or not, alone or inside a
 *       longer base64 string such as {@code Basic base64(user:secret)} or a base64'd JSON blob). An
 *       encoded form is masked together with the whole base64 or hex run it sits in.
 *   <li>A value split over lines by a bare line break ({@code fold}, {@code base64 -w 76}, a long
 *       line cut by the log pump): the end of one line and the start of the next are masked, and
 *       each stays on its own line.
 *   <li>Common credential shapes: Slack, GitHub, OpenAI and Anthropic keys, AWS keys, Google API
 *       keys, JWTs, HTTP {@code Authorization} values, passwords in URLs, {@code password=},
 *       {@code passwd:}, {@code pwd=}, {@code secret=} and {@code token=} values (the key kept;
 *       in query strings, env dumps, YAML and JSON), PEM private key blocks.
 * </ul>
 *
 * <p>Secrets learnt while Quorum runs ({@link LearnedSecrets}: a GitHub App's installation tokens)
 * are masked by every redactor in each line it releases from the moment they are learnt, whole
 * and in the forms git sends them; they are single-line values, never folded.
 *
 * <p>Exact values shorter than {@value #MIN_SECRET_LENGTH} characters are ignored: masking every
 * {@code "abc"} in a log would hide the log, not a secret. A multi-line value counts line by line.
 *
 * <p>Immutable and thread-safe. Splits over lines and private keys spanning lines are only caught
 * by line-aware callers: use {@link #redact(String)} for whole texts or one {@link #lines()} per
 * stream.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "[REDACTED]";

    /** Shortest exact secret value that is masked. */
    public static final int MIN_SECRET_LENGTH = 6;

    static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");
    static final Pattern PEM_END = Pattern.compile("-----END [A-Z0-9 ]*PRIVATE KEY-----");

    /**
     * The end of a key whose value is masked ({@code DB_PASSWORD}, {@code client_secret}, {@code SECRET_KEY},
     * {@code access_token}); {@code PWD=} and {@code OLDPWD=} are the shell's folder, not a password.
     */
    private static final String SECRET_KEY = "(?:(?i:password|passwd|secret|token)"
            + "|(?!(?<=^|[^A-Za-z0-9_])(?-i:PWD)=|(?<=(?:^|[^A-Za-z0-9_])OLD)(?-i:PWD)=)(?i:pwd))(?i:[_-]?key)?";
    /** {@code =}, or {@code :} followed by a blank or after a quoted key (so that {@code user:token@host} is no pair). */
    private static final String[] SECRET_KEY_HINTS = {"pass", "pwd", "secret", "token"};
    /** The lower-case literals a case-blind shape looks for first, each a bit; they start with a letter. */
    private static final List<String> CASE_BLIND_HINTS =
            List.of("pass", "pwd", "secret", "token", "authorization", "bearer", "aws_secret_access_key");
    private static final int CASE_BLIND_FIRST_LETTERS = CASE_BLIND_HINTS.stream()
            .mapToInt(hint -> 1 << (hint.charAt(0) - 'a')).reduce(0, (a, b) -> a | b);
    private static final String SEPARATOR = "(?:[ \\t]*=|(?:\\\\?[\"'])?[ \\t]*:(?=[ \\t])|\\\\?[\"'][ \\t]*:)[ \\t]*";
    /** Not a value another shape masked already. */
    private static final String NOT_MASKED = "(?!" + Pattern.quote(MASK) + ")";

    /**
     * Shapes with the part to keep in group 1 where there is one (a header name, a URL user, a key),
     * each after the literals one of which a matching line must contain: a regex runs only on the
     * few lines that could match, since redaction runs on every line of every log. A pattern starts
     * with its literal and looks behind it for the word boundary, which is much faster to scan for
     * than a pattern that starts with the look-behind.
     */
    private static final List<Shape> SHAPES = List.of(
            new Shape("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?-----END [A-Z0-9 ]*PRIVATE KEY-----", false, "-----BEGIN"),
            new Shape("xox(?<![A-Za-z0-9]xox)[abprs]-[A-Za-z0-9-]{10,}", false, "xox"),
            new Shape("xapp-(?<![A-Za-z0-9]xapp-)[A-Za-z0-9-]{10,}", false, "xapp-"),
            new Shape("gh(?<![A-Za-z0-9]gh)[pousr]_[A-Za-z0-9]{20,}", false, "ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
            new Shape("github_pat_(?<![A-Za-z0-9]github_pat_)[A-Za-z0-9_]{20,}", false, "github_pat_"),
            new Shape("sk-(?<![A-Za-z0-9_-]sk-)(?:ant-|proj-)?[A-Za-z0-9_-]{20,}", false, "sk-"),
            new Shape("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])", false, "AKIA", "ASIA"),
            new Shape("AIza(?<![A-Za-z0-9_-]AIza)[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])", false, "AIza"),
            // header.payload[.signature[.more]]: a JWS has three parts, a JWE five
            new Shape("eyJ(?<![A-Za-z0-9_-]eyJ)[A-Za-z0-9_-]{10,}=*\\.[A-Za-z0-9_-]{2,}=*(?:\\.[A-Za-z0-9_=-]*){1,3}", false, "eyJ"),
            new Shape("(?i)(aws_secret_access_key[\"']?\\s*[:=]\\s*[\"']?)[A-Za-z0-9/+=]{16,}", true, "aws_secret_access_key"),
            new Shape("(?i)(authorization[\"']?\\s*[:=]\\s*[\"']?(?:bearer|basic|token|bot)\\s+)[^\\s\"',;]+", true, "authorization"),
            new Shape("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/-]{20,}=*", true, "bearer"),
            // the scheme starts where a run of scheme characters starts: tried once per run, not at each of its letters
            Shape.containing("((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://[^/\\s:@]*:)[^/\\s@]+(?=@)", true, "@"),
            new Shape("(" + SECRET_KEY + SEPARATOR + "\")" + NOT_MASKED + "(?:[^\"\\\\]|\\\\.)+", true, SECRET_KEY_HINTS), // "…" (JSON)
            new Shape("(" + SECRET_KEY + SEPARATOR + "\\\\\")" + NOT_MASKED + "[^\"\\\\]+", true, SECRET_KEY_HINTS), // \"…\" (JSON in a string)
            new Shape("(" + SECRET_KEY + SEPARATOR + "')" + NOT_MASKED + "[^']+", true, SECRET_KEY_HINTS),
            new Shape("(" + SECRET_KEY + SEPARATOR + ")" + NOT_MASKED + "[^\\s\"'&,;)\\]}>\\\\]+", true, SECRET_KEY_HINTS));

    /** Masks the common shapes only. */
    public static final Redactor SHAPES_ONLY = new Redactor(List.of());

    private final List<String> values;
    private final SecretMatcher matcher;
    /** The last {@link #with} and what it made: every test run adds the same repo secrets to the same redactor. */
    private volatile Extension lastExtension;

    private record Extension(List<String> added, Redactor result) {}

    private Redactor(Collection<String> values) {
        Set<String> pieces = new LinkedHashSet<>();
        for (String value : values) {
            Objects.requireNonNull(value, "secret value");
            value.lines().map(String::strip).filter(line -> line.length() >= MIN_SECRET_LENGTH).forEach(pieces::add);
        }
        this.values = List.copyOf(pieces);
        List<SecretForms.Form> forms = new ArrayList<>();
        pieces.forEach(piece -> forms.addAll(SecretForms.of(piece)));
        this.matcher = new SecretMatcher(forms);
    }

    /**
     * A redactor for these exact values plus the common shapes.
     *
     * @throws NullPointerException when a value is null
     */
    public static Redactor of(Collection<String> secretValues) {
        return new Redactor(List.copyOf(secretValues));
    }

    /** This redactor plus more exact values. */
    public Redactor with(Collection<String> moreSecretValues) {
        List<String> added = List.copyOf(moreSecretValues);
        Extension last = lastExtension;
        if (last != null && last.added().equals(added)) {
            return last.result();
        }
        List<String> all = new ArrayList<>(values);
        all.addAll(added);
        Redactor result = new Redactor(all);
        lastExtension = new Extension(added, result);
        return result;
    }

    /** A masker for one stream of lines: it knows when it is inside a private key block and sees across line breaks. */
    public LineRedactor lines() {
        return new LineRedactor(this);
    }

    /** {@code text} (one or many lines) with every secret masked; line breaks are kept. */
    public String redact(String text) {
        LineRedactor stream = lines();
        StringBuilder out = new StringBuilder(text.length() + 16);
        ArrayDeque<String> breaks = new ArrayDeque<>(); // of the lines pushed and not yet released, in order
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                boolean crlf = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
                breaks.add(crlf ? "\r\n" : c == '\n' ? "\n" : "\r");
                append(out, stream.push(text.substring(start, i)), breaks);
                i += crlf ? 1 : 0;
                start = i + 1;
            }
        }
        append(out, stream.push(text.substring(start)), breaks);
        append(out, stream.finish(), breaks);
        return out.toString();
    }

    private static void append(StringBuilder out, List<String> released, ArrayDeque<String> breaks) {
        for (String line : released) {
            out.append(line);
            if (!breaks.isEmpty()) {
                out.append(breaks.poll());
            }
        }
    }

    SecretMatcher matcher() {
        return matcher;
    }

    /** {@code line} with the credential shapes masked; exact values are {@link LineRedactor}'s part. */
    static String maskShapes(String line) {
        String out = line;
        int caseBlind = -1; // which CASE_BLIND_HINTS the line contains, found once (again after a change)
        for (Shape shape : SHAPES) {
            if (shape.caseBlindHints() != 0 && caseBlind < 0) {
                caseBlind = caseBlindHintsIn(out);
            }
            String masked = shape.mask(out, caseBlind);
            if (masked != out) {
                out = masked;
                caseBlind = -1;
            }
        }
        return out;
    }

    /** The {@link #CASE_BLIND_HINTS} in {@code line}, in any case, as bits; one pass, no copy. */
    private static int caseBlindHintsIn(String line) {
        int found = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = (char) (line.charAt(i) | 0x20);
            if (c < 'a' || c > 'z' || (CASE_BLIND_FIRST_LETTERS & 1 << (c - 'a')) == 0) {
                continue;
            }
            for (int h = 0; h < CASE_BLIND_HINTS.size(); h++) {
                String hint = CASE_BLIND_HINTS.get(h);
                if (hint.charAt(0) == c && line.regionMatches(true, i, hint, 0, hint.length())) {
                    found |= 1 << h;
                }
            }
        }
        return found;
    }

    /**
     * @param caseBlindHints  for a case-blind pattern: the bits of its {@code hints} in {@link #CASE_BLIND_HINTS}
     * @param hintStartsMatch whether a match begins with one of its hints: then the pattern is tried at those places
     *                        only, never at each character of the line
     * @param hints           literals (lower case for a case-blind pattern) of which a matching line contains one
     */
    private record Shape(Pattern pattern, boolean keepsPrefix, int caseBlindHints, boolean hintStartsMatch,
                         String... hints) {
        /** A shape whose matches begin with one of {@code hints}. */
        Shape(String regex, boolean keepsPrefix, String... hints) {
            this(Pattern.compile(regex), keepsPrefix, regex.startsWith("(?i)") || regex.contains("(?i:") ? bits(hints) : 0,
                    true, hints);
        }

        /** A shape whose matches contain one of {@code hints} somewhere. */
        static Shape containing(String regex, boolean keepsPrefix, String... hints) {
            return new Shape(Pattern.compile(regex), keepsPrefix, 0, false, hints);
        }

        private static int bits(String... hints) {
            int bits = 0;
            for (String hint : hints) {
                int h = CASE_BLIND_HINTS.indexOf(hint);
                if (h < 0) throw new IllegalArgumentException("not in CASE_BLIND_HINTS: " + hint);
                bits |= 1 << h;
            }
            return bits;
        }

        /** {@code line} with each match masked; the same instance when nothing matched. */
        String mask(String line, int caseBlindFound) {
            if (caseBlindHints != 0 && (caseBlindHints & caseBlindFound) == 0) {
                return line;
            }
            int at = nextHint(line, 0);
            if (at < 0) {
                return line;
            }
            Matcher m = pattern.matcher(line);
            if (!hintStartsMatch) {
                return m.find() ? maskedFrom(line, m) : line;
            }
            m.useTransparentBounds(true).useAnchoringBounds(false); // look-behinds see what precedes the hint
            StringBuilder out = null;
            int copied = 0;
            for (; at >= 0; at = nextHint(line, at)) {
                m.region(at, line.length());
                if (m.lookingAt()) {
                    out = out == null ? new StringBuilder(line.length()) : out;
                    out.append(line, copied, keepsPrefix ? m.end(1) : m.start()).append(MASK);
                    copied = m.end();
                    at = m.end() - 1;
                }
                at++;
            }
            return out == null ? line : out.append(line, copied, line.length()).toString();
        }

        /** {@code line} with the match {@code m} found and every later one masked. */
        private String maskedFrom(String line, Matcher m) {
            StringBuilder out = new StringBuilder(line.length());
            int from = 0;
            do {
                out.append(line, from, keepsPrefix ? m.end(1) : m.start()).append(MASK);
                from = m.end();
            } while (m.find());
            return out.append(line, from, line.length()).toString();
        }

        /** Where a hint next occurs at or after {@code from}; -1 for nowhere. */
        private int nextHint(String line, int from) {
            if (caseBlindHints != 0) {
                for (int i = from; i < line.length(); i++) {
                    char c = (char) (line.charAt(i) | 0x20);
                    for (String hint : hints) {
                        if (hint.charAt(0) == c && line.regionMatches(true, i, hint, 0, hint.length())) {
                            return i;
                        }
                    }
                }
                return -1;
            }
            int next = -1;
            for (String hint : hints) {
                int at = line.indexOf(hint, from);
                if (at >= 0 && (next < 0 || at < next)) {
                    next = at;
                }
            }
            return next;
        }
    }
}
