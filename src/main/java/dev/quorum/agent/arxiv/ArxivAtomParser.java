package dev.quorum.agent.arxiv;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the entries of an arXiv API Atom feed with StAX. The factory refuses DTDs and external entities, so a hostile
 * feed cannot read local files or expand entities. Safe for concurrent use.
 */
public final class ArxivAtomParser {

    private static final String ATOM = "http://www.w3.org/2005/Atom";

    private final XMLInputFactory factory;

    public ArxivAtomParser() {
        factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        trySet(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    }

    /**
     * @throws IOException when the feed is not well-formed Atom (the message says where)
     */
    public List<ArxivEntry> parse(InputStream feed) throws IOException {
        List<ArxivEntry> entries = new ArrayList<>();
        XMLStreamReader xml = null;
        try {
            xml = factory.createXMLStreamReader(feed);
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && isAtom(xml, "entry")) {
                    entries.add(entry(xml));
                }
            }
            return entries;
        } catch (XMLStreamException e) {
            throw new IOException("the arXiv answer is not a readable Atom feed: " + e.getMessage(), e);
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // nothing left to release
                }
            }
        }
    }

    private static ArxivEntry entry(XMLStreamReader xml) throws XMLStreamException {
        String id = "";
        String title = "";
        String summary = "";
        String published = "";
        List<String> authors = new ArrayList<>();
        int depth = 1;
        while (depth > 0 && xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                if (depth == 1 && isAtom(xml, "id")) {
                    id = collapse(xml.getElementText());
                } else if (depth == 1 && isAtom(xml, "title")) {
                    title = collapse(xml.getElementText());
                } else if (depth == 1 && isAtom(xml, "summary")) {
                    summary = collapse(xml.getElementText());
                } else if (depth == 1 && isAtom(xml, "published")) {
                    published = collapse(xml.getElementText());
                } else if (depth == 2 && isAtom(xml, "name")) {
                    authors.add(collapse(xml.getElementText()));
                } else {
                    depth++;
                }
            }
        }
        return new ArxivEntry(id, title, summary, authors, published);
    }

    private static boolean isAtom(XMLStreamReader xml, String local) {
        return local.equals(xml.getLocalName()) && ATOM.equals(xml.getNamespaceURI());
    }

    private static String collapse(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    private void trySet(String property, Object value) {
        try {
            factory.setProperty(property, value);
        } catch (IllegalArgumentException unsupported) {
            // the default JDK parser supports it; another StAX implementation may not, and the two flags above suffice
        }
    }
}
