package dev.quorum.testing;

import dev.quorum.conversation.ChatAdapter;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.InboundPipeline;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.conversation.Reply;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat platform that only records what Quorum says, standing in for a team chat with several
 * channels where the platform itself is not the subject of the test.
 */
public final class RecordingAdapter implements ChatAdapter {
    /** One thing Quorum said: posted, edited or whispered. */
    public record Said(String how, Conversation where, Identity to, Reply reply) {}

    private final String name;
    private final List<Said> said = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    public RecordingAdapter(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(InboundPipeline pipeline) {
    }

    @Override
    public void stop() {
    }

    @Override
    public PostedMessage post(Conversation where, Reply reply) {
        said.add(new Said("post", where, null, reply));
        return new PostedMessage(where, "m" + ids.incrementAndGet());
    }

    @Override
    public void update(PostedMessage message, Reply reply) {
        said.add(new Said("update", message.where(), null, reply));
    }

    @Override
    public void whisper(IncomingMessage to, Reply reply) {
        said.add(new Said("whisper", to.where(), to.sender(), reply));
    }

    @Override
    public String health() {
        return "UP";
    }

    public List<Said> said() {
        return List.copyOf(said);
    }
}
