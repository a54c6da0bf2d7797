/**
 * Slack as a chat adapter, on Bolt for Java: translation only, no business rules.
 *
 * <p>Front door: {@link dev.quorum.chat.slack.SlackCapability#install} (on when a bot token and a
 * signing secret are configured). Inbound: {@code SlackEvents} serves {@code POST /slack/events}
 * on Quorum's Vert.x server and runs Bolt's {@code App} on a virtual thread (or Bolt's Socket Mode
 * client delivers to the same {@code App}); {@code SlackInbound} holds the Bolt listeners, which
 * turn mentions, thread commands, direct messages, {@code /quorum} and button clicks into
 * deliveries for the shared {@link dev.quorum.conversation.InboundPipeline} (which dedupes, drops
 * bots and works after the ack); the adapter adds Slack's display names and the 👀 reaction.
 * Outbound: {@link dev.quorum.chat.slack.SlackAdapter} renders each
 * {@link dev.quorum.conversation.Reply} with {@code BlockKitRenderer} and calls the Web API through
 * {@code RateLimitedSlackClient}.
 */
package dev.quorum.chat.slack;
