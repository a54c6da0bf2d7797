/**
 * GitHub pull request comments as a chat adapter, and what requests do with GitHub's webhook events:
 * translation only, no business rules but the platform's own boundary (who may command Quorum there).
 *
 * <p>Front door: {@link dev.quorum.chat.github.GitHubConversations#install} (on when a repo has
 * {@code github:}). Inbound: {@code dev.quorum.github.GitHubWebhook} checks and dedupes deliveries
 * and hands events to {@code PullRequestEvents}, which turns {@code /quorum} comments (and approving
 * reviews) into deliveries for the shared {@link dev.quorum.conversation.InboundPipeline} and checks
 * the open requests a push or a pull request change concerns at once. Outbound:
 * {@code PullRequestAdapter} posts and edits comments, rendered by {@code CommentRenderer} through
 * {@code GitHubMarkdown}, which keeps what Quorum echoes from mentioning, referencing or linking.
 */
package dev.quorum.chat.github;
