package dev.quorum.sandbox;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A dependency cache of one repository, as runs see it: a folder under the run's home whose contents
 * are Quorum's copy ({@code store}) over an optional read-only host folder ({@code seed}).
 *
 * @param path  where it is in a run, relative to the run's home, e.g. {@code .m2/repository}
 * @param store Quorum's copy, under the data folder; only trusted runs add to it
 * @param seed  a host folder below it, e.g. the operator's {@code ~/.m2/repository}; never written
 */
record CacheFolder(String path, Path store, Optional<Path> seed) {
    CacheFolder {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(seed, "seed");
    }
}
