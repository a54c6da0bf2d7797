package dev.quorum.chat.github;

import dev.quorum.config.RepoConfig;
import dev.quorum.conversation.ChatAdapter;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.conversation.Reply;
import dev.quorum.conversation.ReplyFitter;
import dev.quorum.github.Comment;
import dev.quorum.github.GitHubClient;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A pull request's comments as a chat platform: {@link Conversation#pullRequest} is where Quorum
 * hears {@code /quorum} comments and answers with comments. A post is a new comment, an update
 * edits Quorum's comment in place ({@link GitHubClient#editComment}: progress and cards change, as
 * in chat), and a whisper is a comment addressed to the member ({@code @login} first): GitHub has no
 * private replies. What members say arrives through the webhook, not through this adapter, and is
 * handed to the shared {@link InboundPipeline} as said by {@code github:<login>}.
 *
 * <p>Thread-safe; every method but {@link #health()} blocks on GitHub (call from virtual threads).
 */
final class PullRequestAdapter implements ChatAdapter {
    static final String PLATFORM = "github";

    private final GitHubClient github;
    /** Quorum repo name to the repository on GitHub. */
    private final Map<String, RepoConfig.GitHub> repos;
    private volatile InboundPipeline pipeline;

    PullRequestAdapter(GitHubClient github, Map<String, RepoConfig.GitHub> repos) {
        this.github = github;
        this.repos = Map.copyOf(repos);
    }

    @Override
    public String name() {
        return Conversation.PULL_REQUEST_ADAPTER;
    }

    @Override
    public void start(InboundPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void stop() {
        pipeline = null;
    }

    /** GitHub is asked per call; the adapter has no connection to lose. */
    @Override
    public String health() {
        return pipeline == null ? "STARTING" : "UP";
    }

    @Override
    public PostedMessage post(Conversation where, Reply reply) {
        return post(where, reply, null);
    }

    @Override
    public void update(PostedMessage message, Reply reply) {
        Place p = place(message.where());
        github.editComment(p.github(), Long.parseLong(message.messageId()), CommentRenderer.render(reply, null));
    }

    /** A comment that mentions the member first: on GitHub everyone sees it, and the member is notified. */
    @Override
    public void whisper(IncomingMessage to, Reply reply) {
        post(to.where(), reply, PLATFORM.equals(to.sender().platform()) ? to.sender().id() : null);
    }

    @Override
    public ReplyFitter.Limits limits() {
        return CommentRenderer.LIMITS;
    }

    private PostedMessage post(Conversation where, Reply reply, String addressTo) {
        Place p = place(where);
        Comment c = github.comment(p.github(), p.number(), CommentRenderer.render(reply, addressTo));
        return new PostedMessage(where, Long.toString(c.id()));
    }

    /**
     * Hands what a member said on pull request {@code number} of {@code repo} to the pipeline, as a
     * command from {@code github:<login>} in its conversation.
     *
     * @param deliveryId what makes it once-only (a comment's id; a review's delivery and request)
     * @return false when the pipeline did not take it (not started, or taken before)
     */
    boolean hear(String repo, int number, Identity sender, String deliveryId, String text) {
        InboundPipeline p = pipeline;
        if (p == null) return false;
        return p.offer(new InboundPipeline.Delivery(name(), deliveryId, sender, sender.id(), Conversation.pullRequest(repo, number),
                text, false, null, InboundPipeline.Kind.COMMAND, Set.of(), null));
    }

    /** {@code github:<login>}, or empty for a login no identity can hold (GitHub's are letters, digits and hyphens). */
    static Optional<Identity> identity(String login) {
        try {
            return Optional.of(new Identity(PLATFORM, login));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A pull request's conversation, read back: the Quorum repo and the number. */
    record Place(String repo, int number, RepoConfig.GitHub github) {}

    private Place place(Conversation where) {
        int hash = where.channel().lastIndexOf('#');
        OptionalInt number = hash < 0 ? OptionalInt.empty() : number(where.channel().substring(hash + 1));
        RepoConfig.GitHub repo = hash < 0 ? null : repos.get(where.channel().substring(0, hash));
        if (!name().equals(where.adapter()) || number.isEmpty() || repo == null) {
            throw new IllegalArgumentException("not the conversation of a pull request on GitHub: " + where);
        }
        return new Place(where.channel().substring(0, hash), number.getAsInt(), repo);
    }

    private static OptionalInt number(String digits) {
        try {
            int n = Integer.parseInt(digits);
            return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
