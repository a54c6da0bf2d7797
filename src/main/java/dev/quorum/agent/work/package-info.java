/**
 * Agent work as Quorum's members meet it: the {@code research} and {@code code} commands open requests, jobs on the
 * shared work queue run them through {@link dev.quorum.agent.AgentRunner}, and what a run did (transcript, usage,
 * result) is kept in Redis beside the request and shown by the API and {@code status}.
 *
 * <p>Front door: {@link dev.quorum.agent.AgentCapability#install}. Everything here blocks (Redis, git, model calls)
 * and runs on virtual threads: command handlers and worker-pool jobs, never an event loop.
 */
package dev.quorum.agent.work;
