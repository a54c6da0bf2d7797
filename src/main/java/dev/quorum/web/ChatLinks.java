package dev.quorum.web;

import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.request.Request;
import dev.quorum.store.Redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Links from a request to where it was discussed: the console's own page, the Slack message or thread, a Discord
 * message link when the guild is known. For Slack, Slack's own permalink ({@code chat.getPermalink}, which names the
 * workspace, e.g. {@code https://acme.slack.com/archives/<channel>/p<ts>}) is asked through the chat adapter's port
 * and kept ({@link SlackPermalinks}: when and why, and what of Slack's answer is accepted); when Slack cannot be asked,
 * is slow or answers anything else, the link is built here ({@code https://slack.com/archives/<channel>/p<ts>}, which
 * Slack sends on to the reader's workspace). Every part taken from the request must look like the platform's id
 * (Slack channel ids and timestamps, Discord snowflakes), and the hosts are fixed here or checked, so no request data
 * and no answer of Slack's can make a link to another host or another scheme.
 */
public final class ChatLinks {
    private static final Pattern SLACK_CHANNEL = Pattern.compile("[CDG][A-Z0-9]{2,20}");
    private static final Pattern SLACK_TS = Pattern.compile("[0-9]{1,12}\\.[0-9]{1,9}");
    private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");
    /** How long a request's page waits for Slack's permalink before it shows the link built here. */
    public static final Duration ASK_WAIT = Duration.ofMillis(1500);
    private final Optional<String> discordGuild;
    private final Optional<SlackPermalinks> slackPermalinks;

    /** Asks a platform for its own link to a message (the chat adapters' port, {@code Messenger::permalink}); may block. */
    @FunctionalInterface
    public interface Permalinks {
        Optional<String> of(Conversation where, String messageId);
    }

    /** Links built from what the request stores only: nothing is asked. */
    public ChatLinks(List<String> discordGuilds) {
        this(discordGuilds, Optional.empty());
    }

    /**
     * @param discordGuilds the guilds Quorum is registered in ({@code discord.guilds}): with exactly one, its
     *                      messages can be linked (a message link needs the guild, and a request does not store it)
     * @param slack         asks Slack for a message's permalink
     * @param redis         where the answers are kept, for every instance
     * @param wait          how long a page waits for Slack ({@link #ASK_WAIT})
     */
    public ChatLinks(List<String> discordGuilds, Permalinks slack, Redis redis, Duration wait) {
        this(discordGuilds, Optional.of(new SlackPermalinks(slack, redis, wait)));
    }

    private ChatLinks(List<String> discordGuilds, Optional<SlackPermalinks> slackPermalinks) {
        this.discordGuild = discordGuilds.size() == 1 && SNOWFLAKE.matcher(discordGuilds.getFirst()).matches()
                ? Optional.of(discordGuilds.getFirst()) : Optional.empty();
        this.slackPermalinks = slackPermalinks;
    }

    /**
     * {@code [{kind, href, text}]}: the console first, then the chat thread where one can be linked. Blocking (it may
     * ask Slack, up to the wait): call off the event loop.
     */
    public List<Map<String, Object>> of(Request r) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(link("console", "#/requests/" + r.id(), "this page in the console"));
        Conversation o = r.origin();
        PostedMessage progress = r.progress() != null && r.progress().where().sameChannel(o) ? r.progress() : null;
        switch (o.adapter()) {
            case "slack" -> slack(o, progress).ifPresent(out::add);
            case "discord" -> discord(o, progress).ifPresent(out::add);
            default -> { } // the console's room is this page; a pull request links itself from its subject
        }
        return out;
    }

    private Optional<Map<String, Object>> slack(Conversation o, PostedMessage progress) {
        if (!SLACK_CHANNEL.matcher(o.channel()).matches()) return Optional.empty();
        String base = "https://slack.com/archives/" + o.channel();
        String thread = o.thread() != null && SLACK_TS.matcher(o.thread()).matches() ? o.thread() : null;
        if (progress != null && SLACK_TS.matcher(progress.messageId()).matches()) {
            String ts = progress.messageId();
            String href = asked(o, ts).orElseGet(() -> base + "/p" + ts.replace(".", "")
                    + (thread != null && !thread.equals(ts) ? "?thread_ts=" + thread + "&cid=" + o.channel() : ""));
            return Optional.of(link("slack", href, "the request's message in Slack"));
        }
        if (thread != null) {
            return Optional.of(link("slack", asked(o, thread).orElseGet(() -> base + "/p" + thread.replace(".", "")), "the thread in Slack"));
        }
        return Optional.of(link("slack", base, "the channel in Slack"));
    }

    /** Slack's own permalink of the message at {@code ts}, when Slack is asked and gives an acceptable one in time. */
    private Optional<String> asked(Conversation o, String ts) {
        return slackPermalinks.flatMap(p -> p.of(o, ts));
    }

    private Optional<Map<String, Object>> discord(Conversation o, PostedMessage progress) {
        if (discordGuild.isEmpty() || !SNOWFLAKE.matcher(o.channel()).matches()) return Optional.empty();
        String base = "https://discord.com/channels/" + discordGuild.get() + "/";
        String thread = o.thread() != null && SNOWFLAKE.matcher(o.thread()).matches() ? o.thread() : null;
        if (progress != null && SNOWFLAKE.matcher(progress.messageId()).matches()) {
            // as the adapter posts: in the thread's channel, unless the thread is the message itself
            String channel = thread == null || thread.equals(progress.messageId()) ? o.channel() : thread;
            return Optional.of(link("discord", base + channel + "/" + progress.messageId(), "the request's message in Discord"));
        }
        return Optional.of(link("discord", base + (thread != null ? thread : o.channel()), thread != null ? "the thread in Discord" : "the channel in Discord"));
    }

    private static Map<String, Object> link(String kind, String href, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("href", href);
        m.put("text", text);
        return m;
    }
}
