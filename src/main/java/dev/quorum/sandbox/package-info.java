/**
 * Where repository code runs. Quorum runs code it did not write (a branch's tests, a model's edits, a
 * deploy script) only inside a {@link dev.quorum.sandbox.Sandbox}: on Linux, bubblewrap with its own
 * user, PID, IPC, UTS, mount and (by default) network namespaces, the run's checkout as the only
 * writable tree, system folders read-only, Quorum's data, configuration, repositories and secrets not
 * there at all, and limits on processes, memory and time. Where no sandbox can be made, runs are
 * refused with the reason, unless a repository says {@code sandbox: off}.
 */
package dev.quorum.sandbox;
