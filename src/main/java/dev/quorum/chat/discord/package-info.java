/**
 * Discord as a chat adapter, on JDA 6: translation only, no business rules.
 *
 * <p>Front door: {@link dev.quorum.chat.discord.DiscordCapability#install} (on when a bot token is
 * configured). Inbound: {@code DiscordGateway} runs JDA's gateway session on the one instance that
 * holds its Redis lease; {@code DiscordInbound} (a JDA listener) defers every interaction at once and
 * turns mentions, direct messages, thread chatter, {@code /quorum}, autocomplete and button clicks
 * into {@link dev.quorum.conversation.InboundPipeline.Delivery}s. Outbound, on every instance:
 * {@link dev.quorum.chat.discord.DiscordAdapter} renders each {@link dev.quorum.conversation.Reply}
 * with {@code DiscordRenderer} (after {@link dev.quorum.conversation.ReplyFitter}) and calls
 * Discord's REST API through {@code DiscordRest}; buttons are keys to {@code ButtonRecords} in Redis.
 */
package dev.quorum.chat.discord;
