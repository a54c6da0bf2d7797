package dev.quorum.agent;

/** Atom feeds shaped like the arXiv API's answers. */
final class ArxivFeeds {

    private ArxivFeeds() {
    }

    static final String TWO_ENTRIES = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
              <title type="html">ArXiv Query: search_query=all:consensus</title>
              <id>http://arxiv.org/api/abc</id>
              <entry>
                <id>http://arxiv.org/abs/1234.5678v1</id>
                <published>2014-05-20T00:00:00Z</published>
                <title>In Search of an Understandable
                  Consensus Algorithm</title>
                <summary>  Raft is a consensus algorithm for managing
                  a replicated log.  </summary>
                <author><name>Diego Ongaro</name></author>
                <author><name>John Ousterhout</name><arxiv:affiliation>Stanford</arxiv:affiliation></author>
                <link href="http://arxiv.org/abs/1234.5678v1" rel="alternate" type="text/html"/>
                <arxiv:primary_category term="cs.DC"/>
              </entry>
              <entry>
                <id>http://arxiv.org/abs/2345.6789v2</id>
                <published>2001-11-01T00:00:00Z</published>
                <title>Paxos Made Simple</title>
                <summary>The Paxos algorithm, when presented in plain English, is very simple.</summary>
                <author><name>Leslie Lamport</name></author>
              </entry>
            </feed>
            """;
}
