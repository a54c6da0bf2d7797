/**
 * Quorum's agents: research and coding runs on LangChain4j's low-level {@code ChatModel}, with budgets, a transcript,
 * progress, and tools confined to their workspace.
 *
 * <p>Front door: {@link dev.quorum.agent.AgentRunner} ({@code start(AgentSettings)}, then {@code research(...)} or
 * {@code code(...)} from a virtual thread per request). Ports the caller implements:
 * {@link dev.quorum.agent.TranscriptSink}, {@link dev.quorum.agent.ProgressListener} and
 * {@link dev.quorum.agent.coding.TestRunPort}; {@link dev.quorum.agent.CancelToken} is the caller's handle to stop a
 * run. Runs end with a {@link dev.quorum.agent.RunOutcome}, never an exception for model, tool or budget trouble.
 *
 * <p>Sub-packages: {@code model} (providers, retries), {@code loop} (the agent loop and tool plumbing),
 * {@code transcript}, {@code workspace} (path confinement, git), {@code coding} and {@code research} (the tools),
 * {@code search} (Lucene docs index, optional hybrid re-ranking), {@code web} (fetch_url), {@code arxiv}.
 */
package dev.quorum.agent;
