package dev.quorum.agent.loop;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools of one run, by name. Immutable. */
public final class Toolbox {

    private final Map<String, AgentTool> byName;
    private final List<String> names;

    public Toolbox(List<AgentTool> tools) {
        Map<String, AgentTool> map = new LinkedHashMap<>();
        for (AgentTool tool : tools) {
            if (map.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalArgumentException("two tools are named " + tool.name());
            }
        }
        this.byName = Map.copyOf(map);
        this.names = List.copyOf(map.keySet());
    }

    public Optional<AgentTool> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<ToolSpecification> specifications() {
        return names.stream().map(byName::get).map(AgentTool::specification).toList();
    }

    public List<String> names() {
        return names;
    }
}
