package org.smimegw.gateway.container;

import java.io.IOException;
import java.io.InputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Parses XML into a DOM whose elements carry their start line as user data {@link #LINE}, so configuration
 * errors can name the line. DOCTYPEs and external entities are refused.
 */
final class LocatedXml {
    static final String LINE = "smimegw.line";

    private LocatedXml() {
    }

    /** Thrown with the parser's line when the XML is not well-formed. */
    static final class ParseError extends Exception {
        final int line;

        ParseError(int line, String message, Throwable cause) {
            super(message, cause);
            this.line = line;
        }
    }

    static Document parse(InputStream in, String systemId) throws ParseError, IOException {
        try {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            SAXParser parser = factory.newSAXParser();
            InputSource source = new InputSource(in);
            source.setSystemId(systemId);
            parser.parse(source, new Builder(document));
            return document;
        } catch (SAXParseException e) {
            throw new ParseError(e.getLineNumber(), e.getMessage(), e);
        } catch (SAXException | ParserConfigurationException e) {
            throw new ParseError(0, e.getMessage(), e);
        }
    }

    static int line(Node node) {
        Object line = node.getUserData(LINE);
        return line instanceof Integer i ? i : 0;
    }

    private static final class Builder extends DefaultHandler {
        private final Document document;
        private Node current;
        private Locator locator;

        Builder(Document document) {
            this.document = document;
            this.current = document;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            Element element = document.createElement(qName);
            for (int i = 0; i < attributes.getLength(); i++) {
                element.setAttribute(attributes.getQName(i), attributes.getValue(i));
            }
            element.setUserData(LINE, locator == null ? 0 : locator.getLineNumber(), null);
            current.appendChild(element);
            current = element;
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            current = current.getParentNode();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (current != document) {
                current.appendChild(document.createTextNode(new String(ch, start, length)));
            }
        }
    }
}
