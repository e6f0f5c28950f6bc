package io.botfleet.helm;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** What the Maven build says about images: read from the poms, so chart and build cannot drift. */
final class BuildFacts {

  private BuildFacts() {}

  /** The project version: every image's tag, and the chart's appVersion. */
  static String version() {
    String version = System.getProperty("botfleet.version");
    if (version == null) {
      throw new AssertionError("run through Maven: botfleet.version is not set");
    }
    return version;
  }

  /** A service module's artifactId, which Quarkus uses as the image name (application name). */
  static String artifactId(String service) {
    Element project = pom(service + "-service/pom.xml").getDocumentElement();
    return directChild(project, "artifactId");
  }

  /** A property of the service-parent's "image" profile (quarkus.container-image.*). */
  static String imageProfileProperty(String name) {
    NodeList profiles = pom("service-parent/pom.xml").getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element profile = (Element) profiles.item(i);
      if ("image".equals(directChild(profile, "id"))) {
        NodeList properties = profile.getElementsByTagName(name);
        if (properties.getLength() == 1) {
          return properties.item(0).getTextContent().trim();
        }
      }
    }
    throw new AssertionError("service-parent/pom.xml: no " + name + " in the image profile");
  }

  /** The Quarkus application name of a service (application.properties). */
  static String applicationName(String service) {
    String properties = Chart.read(service + "-service/src/main/resources/application.properties");
    Matcher m = Pattern.compile("(?m)^quarkus\\.application\\.name=(.+)$").matcher(properties);
    if (!m.find()) {
      throw new AssertionError(service + ": no quarkus.application.name");
    }
    return m.group(1).trim();
  }

  private static Document pom(String relative) {
    try {
      return DocumentBuilderFactory.newInstance()
          .newDocumentBuilder()
          .parse(Chart.ROOT.resolve(relative).toFile());
    } catch (IOException | SAXException | javax.xml.parsers.ParserConfigurationException e) {
      throw new AssertionError("cannot read " + relative, e);
    }
  }

  private static String directChild(Element parent, String tag) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && e.getTagName().equals(tag)) {
        return e.getTextContent().trim();
      }
    }
    throw new AssertionError("no <" + tag + "> in <" + parent.getTagName() + ">");
  }
}
