package dev.quorum.evidence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The strings a secret value can appear as in text, for {@link SecretMatcher}. Pure.
 *
 * <p><b>Literal</b> forms are masked exactly: the value itself and its JSON-escaped forms.
 * <b>Encoded</b> forms are found inside longer runs of base64 or hex characters, and the whole run
 * is masked ({@link #isWordChar}):
 * <ul>
 *   <li>hex of the UTF-8 bytes, lower and upper case: a hex string of bytes keeps each byte's two
 *       characters, so the secret's hex is a plain substring of any longer hex string;
 *   <li>base64, standard and URL-safe alphabet, padded or not. Inside a longer base64 string (a
 *       {@code Basic} credential {@code user:secret}, a base64'd JSON blob) the secret's bytes start
 *       at one of three offsets modulo 3, and the characters at its two ends also carry bits of
 *       the neighbouring bytes. For each offset the {@linkplain #base64Core core} is the run of
 *       characters made of the secret's bits only, which every encoding that contains it shares;
 *   <li>percent-encoded (URL) forms: RFC 3986 (everything but unreserved characters), form encoding
 *       ({@code +} for a blank) and their lower-case hex variants. Mixed encodings are found by
 *       {@link LineRedactor}'s decoded pass.
 * </ul>
 */
final class SecretForms {

    /** One form: its text, and whether it is encoded (masked with the base64 or hex run around it). */
    record Form(String text, boolean encoded) {}

    private SecretForms() {
    }

    /** Every form of {@code value}, without duplicates; the value itself first. */
    static List<Form> of(String value) {
        Set<String> literal = new LinkedHashSet<>();
        literal.add(value);
        literal.add(jsonEscaped(value, false));
        literal.add(jsonEscaped(value, true));
        literal.add(percentEncoded(value, false, true));
        literal.add(percentEncoded(value, false, false));
        literal.add(percentEncoded(value, true, true));
        literal.add(percentEncoded(value, true, false));

        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Set<String> encoded = new LinkedHashSet<>();
        encoded.add(HexFormat.of().formatHex(bytes));
        encoded.add(HexFormat.of().withUpperCase().formatHex(bytes));
        for (int offset = 0; offset < 3; offset++) {
            String core = base64Core(bytes, offset);
            if (!core.isEmpty()) {
                encoded.add(core);
                encoded.add(core.replace('+', '-').replace('/', '_'));
            }
        }
        List<Form> forms = new ArrayList<>();
        literal.forEach(text -> forms.add(new Form(text, false)));
        encoded.stream().filter(text -> !literal.contains(text)).forEach(text -> forms.add(new Form(text, true)));
        return forms;
    }

    /**
     * The base64 characters made of {@code secret}'s bits alone when it follows {@code offset}
     * other bytes in an encoded stream. Character {@code i} of the stream holds bits
     * {@code [6i, 6i + 6)}; the secret holds bits {@code [8·offset, 8·(offset + n))}.
     */
    static String base64Core(byte[] secret, int offset) {
        byte[] padded = new byte[offset + secret.length + 2];
        System.arraycopy(secret, 0, padded, offset, secret.length);
        String stream = Base64.getEncoder().withoutPadding().encodeToString(padded);
        int first = (8 * offset + 5) / 6;
        int end = 8 * (offset + secret.length) / 6;
        return first < end ? stream.substring(first, end) : "";
    }

    /** A character of base64 (either alphabet, without padding) or hex: what an encoded match extends over. */
    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '+' || c == '/' || c == '-' || c == '_';
    }

    private static String jsonEscaped(String value, boolean slash) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '/' -> out.append(slash ? "\\/" : "/");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** RFC 3986 percent-encoding of the UTF-8 bytes, or form encoding ({@code +} for a blank, {@code *} kept). */
    private static String percentEncoded(String value, boolean form, boolean upper) {
        StringBuilder out = new StringBuilder(value.length() * 3);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || (form ? c == '*' : c == '~');
            if (unreserved) {
                out.append(c);
            } else if (form && c == ' ') {
                out.append('+');
            } else {
                String hex = String.format(Locale.ROOT, "%%%02X", (int) c);
                out.append(upper ? hex : hex.toLowerCase(Locale.ROOT));
            }
        }
        return out.toString();
    }
}
