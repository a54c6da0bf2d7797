package dev.quorum.evidence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Masks secrets in text before it is stored or posted: the exact values it was given, and the
 * common shapes of credentials (Slack, GitHub, OpenAI and Anthropic keys, AWS keys, HTTP
 * {@code Authorization} values, passwords in URLs, PEM private key blocks). Each secret becomes
 * {@value #MASK}.
 *
 * <p>Exact values shorter than {@value #MIN_SECRET_LENGTH} characters are ignored: masking every
 * {@code "abc"} in a log would hide the log, not a secret. A multi-line value counts line by line.
 *
 * <p>Immutable and thread-safe. A private key spanning lines is only caught by line-aware
 * callers: use {@link #redact(String)} for whole texts or one {@link #lines()} per stream.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "[REDACTED]";

    /** Shortest exact secret value that is masked. */
    public static final int MIN_SECRET_LENGTH = 6;

    static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");
    static final Pattern PEM_END = Pattern.compile("-----END [A-Z0-9 ]*PRIVATE KEY-----");

    /** Shapes with the part to keep in group 1 where there is one (a header name, a URL user). */
    private static final List<Shape> SHAPES = List.of(
            new Shape("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?-----END [A-Z0-9 ]*PRIVATE KEY-----", false),
            new Shape("(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}", false),
            new Shape("(?<![A-Za-z0-9])xapp-[A-Za-z0-9-]{10,}", false),
            new Shape("(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{20,}", false),
            new Shape("(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{20,}", false),
            new Shape("(?<![A-Za-z0-9_-])sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}", false),
            new Shape("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])", false),
            new Shape("(?i)(aws_secret_access_key[\"']?\\s*[:=]\\s*[\"']?)[A-Za-z0-9/+=]{16,}", true),
            new Shape("(?i)(authorization[\"']?\\s*[:=]\\s*[\"']?(?:bearer|basic|token|bot)\\s+)[^\\s\"',;]+", true),
            new Shape("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/-]{20,}=*", true),
            new Shape("([a-z][a-z0-9+.-]*://[^/\\s:@]*:)[^/\\s@]+(?=@)", true));

    /** Masks the common shapes only. */
    public static final Redactor SHAPES_ONLY = new Redactor(List.of());

    private final List<String> values;
    private final Pattern exactValues; // null when none were given

    private Redactor(Collection<String> values) {
        TreeSet<String> byLengthDescending = new TreeSet<>(
                Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        for (String value : values) {
            Objects.requireNonNull(value, "secret value");
            value.lines().map(String::strip).filter(line -> line.length() >= MIN_SECRET_LENGTH)
                    .forEach(byLengthDescending::add);
        }
        this.values = List.copyOf(byLengthDescending);
        // longest first, so that a secret containing another is masked whole
        this.exactValues = byLengthDescending.isEmpty() ? null
                : Pattern.compile(byLengthDescending.stream().map(Pattern::quote).collect(Collectors.joining("|")));
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
        List<String> all = new ArrayList<>(values);
        all.addAll(moreSecretValues);
        return new Redactor(all);
    }

    /** A masker for one stream of lines that knows when it is inside a private key block. */
    public LineRedactor lines() {
        return new LineRedactor(this);
    }

    /** {@code text} (one or many lines) with every secret masked; line breaks are kept. */
    public String redact(String text) {
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return lines().next(text);
        }
        LineRedactor stream = lines();
        StringBuilder out = new StringBuilder(text.length());
        Matcher lineBreaks = Pattern.compile("\r\n|\r|\n").matcher(text);
        int start = 0;
        while (lineBreaks.find()) {
            out.append(stream.next(text.substring(start, lineBreaks.start()))).append(lineBreaks.group());
            start = lineBreaks.end();
        }
        return out.append(stream.next(text.substring(start))).toString();
    }

    /** Masks exact values and single-line shapes in one line; no knowledge of surrounding lines. */
    String redactWithinLine(String line) {
        String out = line;
        if (exactValues != null) {
            out = exactValues.matcher(out).replaceAll(MASK);
        }
        for (Shape shape : SHAPES) {
            out = shape.apply(out);
        }
        return out;
    }

    private record Shape(Pattern pattern, boolean keepsPrefix) {
        Shape(String regex, boolean keepsPrefix) {
            this(Pattern.compile(regex), keepsPrefix);
        }

        String apply(String line) {
            Matcher m = pattern.matcher(line);
            if (!m.find()) {
                return line;
            }
            return m.replaceAll(match -> Matcher.quoteReplacement((keepsPrefix ? match.group(1) : "") + MASK));
        }
    }
}
