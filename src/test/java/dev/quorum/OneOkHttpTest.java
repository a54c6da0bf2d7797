package dev.quorum;

import okhttp3.OkHttp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack's SDK and JDA both use package {@code okhttp3}: two copies on one classpath would mean
 * whichever comes first serves both, untested. The pom pins one (OkHttp 5, which JDA needs) and
 * excludes Slack's; this keeps it so. The Slack and Discord end-to-end tests run on that copy.
 */
class OneOkHttpTest {
    @Test
    void exactlyOneOkHttpServesBothAdapters() throws IOException {
        List<URL> copies = Collections.list(getClass().getClassLoader().getResources("okhttp3/OkHttpClient.class"));
        assertThat(copies).hasSize(1);
        assertThat(copies.getFirst().toString()).contains("okhttp-jvm-5.");
        assertThat(OkHttp.VERSION).startsWith("5.");
    }
}
