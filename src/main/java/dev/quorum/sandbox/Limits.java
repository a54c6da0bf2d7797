package dev.quorum.sandbox;

/**
 * What one run may use at once; its time limit is the caller's (the test or deploy timeout).
 *
 * @param maxProcesses   processes and threads together (the kernel counts both)
 * @param maxMemoryBytes resident memory of all its processes together
 */
record Limits(int maxProcesses, long maxMemoryBytes) {
    Limits {
        if (maxProcesses < 16) throw new IllegalArgumentException("max_processes must be at least 16, got " + maxProcesses);
        if (maxMemoryBytes < 64L << 20) throw new IllegalArgumentException("max_memory must be at least 64m");
    }
}
