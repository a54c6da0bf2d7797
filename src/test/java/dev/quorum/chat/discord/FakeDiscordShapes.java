package dev.quorum.chat.discord;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON objects Discord sends, field for field as Discord's API reference and JDA's parsers
 * (EntityBuilder, InteractionImpl, ReadyHandler, GuildSetupNode) expect them: ids are strings,
 * timestamps ISO 8601, every array JDA reads with {@code getArray} present even when empty.
 */
final class FakeDiscordShapes {
    /** Discord's epoch (2015-01-01T00:00:00Z), the base of every snowflake's timestamp. */
    static final long DISCORD_EPOCH = 1420070400000L;
    static final int TEXT_CHANNEL = 0;
    static final int DM_CHANNEL = 1;
    static final int PUBLIC_THREAD = 11;
    /** Administrator: the bot may do everything in the fake's guild. */
    static final String ALL_PERMISSIONS = "8";
    /**
     * What the bot is invited with (the managed role Discord creates for it): view channels, send
     * messages, embed links, attach files, read history, add reactions, use application commands,
     * create public threads, send messages in threads.
     */
    static final long BOT_PERMISSIONS = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 15) | (1L << 16) | (1L << 6)
            | (1L << 31) | (1L << 35) | (1L << 38);
    private static final Pattern USER_MENTION = Pattern.compile("<@!?(\\d+)>");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private FakeDiscordShapes() {}

    /** A fresh snowflake: milliseconds since Discord's epoch, then worker, process and an increment. */
    static long snowflake() {
        return ((System.currentTimeMillis() - DISCORD_EPOCH) << 22) | (SEQUENCE.incrementAndGet() & 0x3FFFFF);
    }

    static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).toString();
    }

    static String timestampOf(long snowflake) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli((snowflake >>> 22) + DISCORD_EPOCH), ZoneOffset.UTC).toString();
    }

    static JsonObject user(FakeDiscord.User u) {
        JsonObject json = new JsonObject().put("id", id(u.id())).put("username", u.username())
                .put("discriminator", "0").put("global_name", u.bot() ? null : u.username()).put("avatar", null)
                .put("public_flags", 0).put("flags", 0);
        if (u.bot()) json.put("bot", true);
        return json;
    }

    /** The bot's own user as {@code users/@me} and READY give it. */
    static JsonObject selfUser(FakeDiscord.User bot) {
        return user(bot).put("verified", true).put("mfa_enabled", false).put("email", null).put("locale", "en-US");
    }

    /** A member without its user: what MESSAGE_CREATE carries in {@code member}. */
    static JsonObject partialMember(Collection<Long> roles, String joinedAt) {
        return new JsonObject().put("roles", ids(roles)).put("nick", null).put("avatar", null).put("premium_since", null)
                .put("joined_at", joinedAt).put("pending", false).put("deaf", false).put("mute", false).put("flags", 0)
                .put("communication_disabled_until", null);
    }

    static JsonObject member(FakeDiscord.User u, Collection<Long> roles, String joinedAt) {
        return partialMember(roles, joinedAt).put("user", user(u));
    }

    static JsonObject role(long id, String name, int position, String permissions) {
        return role(id, name, position, permissions, false);
    }

    static JsonObject role(long id, String name, int position, String permissions, boolean managed) {
        return new JsonObject().put("id", id(id)).put("name", name).put("color", 0)
                .put("colors", new JsonObject().put("primary_color", 0).put("secondary_color", null).put("tertiary_color", null))
                .put("hoist", false).put("icon", null).put("unicode_emoji", null).put("position", position)
                .put("permissions", permissions).put("managed", managed).put("mentionable", false).put("flags", 0);
    }

    static JsonObject textChannel(long id, long guild, String name, int position) {
        return new JsonObject().put("id", id(id)).put("type", TEXT_CHANNEL).put("guild_id", id(guild)).put("name", name)
                .put("position", position).put("permission_overwrites", new JsonArray()).put("parent_id", null)
                .put("topic", null).put("nsfw", false).put("rate_limit_per_user", 0).put("last_message_id", null)
                .put("flags", 0);
    }

    static JsonObject dmChannel(long id, FakeDiscord.User recipient) {
        return new JsonObject().put("id", id(id)).put("type", DM_CHANNEL).put("last_message_id", null).put("flags", 0)
                .put("recipients", new JsonArray().add(user(recipient)));
    }

    /** A public thread as {@code POST channels/{c}/messages/{m}/threads} answers and THREAD_CREATE carries it. */
    static JsonObject thread(long id, long guild, long parent, long owner, String name, int autoArchiveMinutes) {
        String created = now();
        return new JsonObject().put("id", id(id)).put("type", PUBLIC_THREAD).put("guild_id", id(guild))
                .put("parent_id", id(parent)).put("owner_id", id(owner)).put("name", name).put("last_message_id", null)
                .put("rate_limit_per_user", 0).put("message_count", 0).put("member_count", 1).put("total_message_sent", 0)
                .put("flags", 0).put("applied_tags", new JsonArray())
                .put("thread_metadata", new JsonObject().put("archived", false).put("auto_archive_duration", autoArchiveMinutes)
                        .put("archive_timestamp", created).put("locked", false).put("create_timestamp", created))
                .put("member", new JsonObject().put("id", id(id)).put("user_id", id(owner)).put("join_timestamp", created)
                        .put("flags", 1));
    }

    /** A guild as GUILD_CREATE carries it right after READY (lazy loading of an unavailable guild). */
    static JsonObject guildCreate(FakeDiscord.Guild g, JsonArray channels, JsonArray roles, JsonArray members) {
        return new JsonObject().put("id", id(g.id())).put("name", g.name()).put("icon", null).put("splash", null)
                .put("discovery_splash", null).put("banner", null).put("description", null).put("owner_id", id(g.ownerId()))
                .put("afk_channel_id", null).put("afk_timeout", 300).put("verification_level", 0)
                .put("default_message_notifications", 0).put("explicit_content_filter", 0).put("mfa_level", 0)
                .put("nsfw_level", 0).put("premium_tier", 0).put("premium_subscription_count", 0)
                .put("premium_progress_bar_enabled", false).put("system_channel_id", null).put("system_channel_flags", 0)
                .put("rules_channel_id", null).put("public_updates_channel_id", null).put("safety_alerts_channel_id", null)
                .put("vanity_url_code", null).put("preferred_locale", "en-US").put("features", new JsonArray())
                .put("max_members", 500000).put("max_video_channel_users", 25).put("application_id", null)
                .put("joined_at", g.joinedAt()).put("large", false).put("unavailable", false).put("lazy", true)
                .put("member_count", members.size()).put("roles", roles).put("channels", channels).put("threads", new JsonArray())
                .put("members", members).put("voice_states", new JsonArray()).put("presences", new JsonArray())
                .put("emojis", new JsonArray()).put("stickers", new JsonArray()).put("guild_scheduled_events", new JsonArray())
                .put("stage_instances", new JsonArray()).put("soundboard_sounds", new JsonArray())
                .put("embedded_activities", new JsonArray());
    }

    /** An application as {@code applications/@me} and {@code oauth2/applications/@me} answer. */
    static JsonObject application(long id, FakeDiscord.User bot, FakeDiscord.User owner) {
        return new JsonObject().put("id", id(id)).put("name", bot.username()).put("icon", null).put("description", "")
                .put("summary", "").put("type", null).put("bot_public", true).put("bot_require_code_grant", false)
                .put("verify_key", "0".repeat(64)).put("flags", (1 << 19) | (1 << 15)).put("hook", true)
                .put("is_monetized", false).put("team", null).put("tags", new JsonArray())
                .put("redirect_uris", new JsonArray()).put("interactions_endpoint_url", null)
                .put("approximate_guild_count", 1).put("integration_types_config", new JsonObject()
                        .put("0", new JsonObject()))
                .put("install_params", new JsonObject().put("scopes", new JsonArray().add("bot").add("applications.commands"))
                        .put("permissions", Long.toString(BOT_PERMISSIONS)))
                .put("owner", user(owner)).put("bot", user(bot));
    }

    /**
     * A message as Discord stores it and answers a create or an edit with. {@code mentions} are the
     * users named by {@code <@id>} in the content, as Discord resolves them.
     */
    static JsonObject message(long id, long channel, Long guild, FakeDiscord.User author, String content, FakeDiscord world) {
        JsonArray mentions = new JsonArray();
        Matcher m = USER_MENTION.matcher(content == null ? "" : content);
        while (m.find()) {
            FakeDiscord.User named = world.knownUser(Long.parseLong(m.group(1)));
            if (named != null && mentions.stream().noneMatch(o -> ((JsonObject) o).getString("id").equals(id(named.id())))) {
                mentions.add(user(named));
            }
        }
        JsonObject json = new JsonObject().put("id", id(id)).put("type", 0).put("channel_id", id(channel))
                .put("author", user(author)).put("content", content == null ? "" : content).put("timestamp", timestampOf(id))
                .put("edited_timestamp", null).put("tts", false).put("mention_everyone", false).put("mentions", mentions)
                .put("mention_roles", new JsonArray()).put("attachments", new JsonArray()).put("embeds", new JsonArray())
                .put("components", new JsonArray()).put("pinned", false).put("flags", 0);
        if (guild != null) json.put("guild_id", id(guild));
        return json;
    }

    static JsonArray ids(Collection<Long> ids) {
        JsonArray a = new JsonArray();
        ids.forEach(i -> a.add(id(i)));
        return a;
    }

    static String id(long id) {
        return Long.toUnsignedString(id);
    }

    /** Discord's error body: {@code {"message": ..., "code": ...}}. */
    static JsonObject error(String message, int code) {
        return new JsonObject().put("message", message).put("code", code);
    }
}
