package dev.quorum.repo;

import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local host (a repository on this disk, {@code repos.<name>.path}) keeps the {@link RepoHostContract}. */
class LocalHostContractTest extends RepoHostContract {
    @Override
    protected RepoHost host(String name, Path upstream) {
        return RepoHosts.local(name, upstream);
    }

    /** The local host reads files in place; a host that does not gets {@link RepoHost#files}'s checkout, which must agree. */
    @Test
    void theDefaultFilesByCheckoutSeeWhatTheLocalHostReadsInPlace() throws Exception {
        RepoHost byCheckout = (RepoHost) Proxy.newProxyInstance(RepoHost.class.getClassLoader(), new Class<?>[]{RepoHost.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("files")) return InvocationHandler.invokeDefault(proxy, method, args);
                    try {
                        return method.invoke(host, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Sha withScript = new Sha(work.commit("a script", Map.of("run.sh", "echo hi\n", "d/e.txt", "e\n")));
        publish();

        assertThat(read(byCheckout, withScript)).isEqualTo(read(host, withScript)).containsOnlyKeys("a.txt", "b.txt", "d/e.txt", "run.sh");
    }

    private static Map<String, String> read(RepoHost host, Sha commit) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        host.files(commit, (path, size, contents) -> files.put(path, size + ":" + new String(contents.read(), StandardCharsets.UTF_8)));
        return files;
    }
}
