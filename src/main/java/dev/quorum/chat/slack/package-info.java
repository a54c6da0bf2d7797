/**
 * Slack as a chat adapter, on Bolt for Java: translation only, no business rules.
 *
 * <p>Front door: {@link dev.quorum.chat.slack.SlackCapability#install} (on when a bot token and a
 * signing secret are configured). Inbound: {@code SlackEvents} serves {@code POST /slack/events}
 * on Quorum's Vert.x server and runs Bolt's {@code App} on a virtual thread (or Bolt's Socket Mode
 * client delivers to the same {@code App}); {@code SlackInbound} holds the Bolt listeners, which
 * turn mentions, thread commands, direct messages, {@code /quorum} and button clicks into
 * {@link dev.quorum.conversation.IncomingMessage}s after recording the delivery ({@code EventDedupe}).
 * Outbound: {@link dev.quorum.chat.slack.SlackAdapter} renders each
 * {@link dev.quorum.conversation.Reply} with {@code BlockKitRenderer} and calls the Web API through
 * {@code RateLimitedSlackClient}.
 */
package dev.quorum.chat.slack;
