package dev.quorum.conversation;

/** Links into the web console, where every request has its full record. */
public record Links(String base) {
    public Links {
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String request(String id) {
        return base + "/#/requests/" + id;
    }

    public Reply.Link requestLink(String id) {
        return new Reply.Link("Open " + id + " in the console", request(id));
    }

    /** A request's page opened at its change: the diff, file by file. */
    public Reply.Link changeLink(String id) {
        return new Reply.Link("See the change and the whole record of " + id + " in the console", request(id) + "/diff");
    }
}
