using YamlDotNet.RepresentationModel;

namespace Berth.Core.Specs.Yaml;

/// <summary>Reads the <c>spec</c> mapping of a <c>kind: Agent</c> document into an <see cref="AgentSpec"/>.</summary>
internal sealed class AgentDocumentReader(NodeReader reader, string? baseDirectory)
{
    public static readonly string[] SpecFields =
        ["image", "build", "process", "command", "args", "port", "env", "files", "resources", "volumes", "security", "health", "replicas", "restart", "capabilities", "dependsOn", "access", "persistence"];

    private static readonly string[] BuildFields = ["context", "dockerfile"];
    private static readonly string[] ProcessFields = ["command", "args", "workingDir"];
    private static readonly string[] VolumeFields = ["source", "target", "readOnly"];
    private static readonly string[] HealthFields = ["path", "interval", "timeout", "retries", "startPeriod"];
    private static readonly string[] RestartFields = ["policy", "maxBackoff"];
    private static readonly string[] PersistenceFields = ["enabled", "maxAttempts", "backoff", "maxBackoff", "requestTimeout", "retentionPeriod"];

    public AgentSpec Read(string name, YamlMappingNode spec, string path)
    {
        var agent = new AgentSpec { Name = name };
        foreach (var (key, fieldPath, value) in reader.Fields(spec, path, SpecFields))
        {
            agent = key switch
            {
                "image" => agent with { Image = reader.Text(value, fieldPath) },
                "build" => agent with { Build = ReadBuild(value, fieldPath) },
                "process" => agent with { Process = ReadProcess(value, fieldPath) },
                "command" => agent with { Command = reader.TextList(value, fieldPath) ?? [] },
                "args" => agent with { Args = reader.TextList(value, fieldPath) ?? [] },
                "port" => agent with { Port = reader.Integer(value, fieldPath, "a port from 1 to 65535") ?? agent.Port },
                "env" => agent with { Env = ReadTextMap(value, fieldPath, "{ KEY: value }", "a variable name", key => $"{fieldPath}.{key}") },
                "files" => agent with { Files = ReadFiles(value, fieldPath) },
                "resources" => agent with { Resources = new ResourcesBlockReader(reader).Read(value, fieldPath) },
                "volumes" => agent with { Volumes = ReadVolumes(value, fieldPath) },
                "security" => agent with { Security = new SecurityBlockReader(reader).Read(value, fieldPath) },
                "health" => agent with { Health = ReadHealth(value, fieldPath) },
                "replicas" => agent with { Replicas = reader.Integer(value, fieldPath, "a number of instances from 0 to 100") ?? agent.Replicas },
                "restart" => agent with { Restart = ReadRestart(value, fieldPath) },
                "capabilities" => agent with { Capabilities = reader.TextList(value, fieldPath) ?? [] },
                "dependsOn" => agent with { DependsOn = reader.TextList(value, fieldPath) ?? [] },
                "access" => agent with { Access = new AccessBlockReader(reader).Read(value, fieldPath) },
                "persistence" => agent with { Persistence = ReadPersistence(value, fieldPath) },
                _ => agent,
            };
        }

        return agent;
    }

    private BuildSpec? ReadBuild(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ context: ./app, dockerfile: Dockerfile }") is not { } map)
        {
            return null;
        }

        string? context = null;
        string? dockerfile = null;
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, BuildFields))
        {
            if (key == "context")
            {
                context = reader.Text(value, fieldPath);
            }
            else
            {
                dockerfile = reader.Text(value, fieldPath);
            }
        }

        if (string.IsNullOrEmpty(context))
        {
            reader.Error($"{path}.context", node, "required; expected the build context directory, like ./app");
        }

        var build = new BuildSpec { Context = Resolve(context ?? string.Empty) };
        return dockerfile is null ? build : build with { Dockerfile = dockerfile };
    }

    private ProcessSpec? ReadProcess(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ command: dotnet, args: [app.dll] }") is not { } map)
        {
            return null;
        }

        string? command = null;
        IReadOnlyList<string> args = [];
        string? workingDir = null;
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, ProcessFields))
        {
            switch (key)
            {
                case "command":
                    command = reader.Text(value, fieldPath);
                    break;
                case "args":
                    args = reader.TextList(value, fieldPath) ?? [];
                    break;
                default:
                    workingDir = reader.Text(value, fieldPath);
                    break;
            }
        }

        if (string.IsNullOrEmpty(command))
        {
            reader.Error($"{path}.command", node, "required; expected a program name on PATH or a path to an executable");
        }

        // A bare name is looked up on PATH; only something that looks like a path is resolved.
        var resolvedCommand = command is not null && command.Contains('/', StringComparison.Ordinal) ? Resolve(command) : command;
        return new ProcessSpec
        {
            Command = resolvedCommand ?? string.Empty,
            Args = args,
            WorkingDir = workingDir is null ? null : Resolve(workingDir),
        };
    }

    private Dictionary<string, string> ReadFiles(YamlNode node, string path)
    {
        // Past the limit the entries are not read: the spec is refused with the limit named once, whatever the count.
        if (node is YamlMappingNode { Children.Count: > AgentSpecValidator.MaximumFiles } map)
        {
            reader.Error(path, map, AgentSpecValidator.TooManyFiles(map.Children.Count));
            return [];
        }

        return ReadTextMap(node, path, "{ /run/secrets/key: \"${secret:NAME}\" }", "a file path", key => SpecPaths.File(path, key));
    }

    private Dictionary<string, string> ReadTextMap(YamlNode node, string path, string example, string keyKind, Func<string, string> pathOf)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Mapping(node, path, example) is not { } map)
        {
            return entries;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                reader.Error(path, keyNode, $"expected {keyKind} here");
                continue;
            }

            var fieldPath = pathOf(key);
            reader.Locate(fieldPath, keyNode);
            entries[key] = reader.Text(value, fieldPath) ?? string.Empty;
        }

        return entries;
    }

    private List<VolumeSpec> ReadVolumes(YamlNode node, string path)
    {
        var volumes = new List<VolumeSpec>();
        var items = reader.Sequence(node, path, "[\"data:/data\", \"/srv/in:/in:ro\"]");
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            reader.Locate(itemPath, items[i]);
            var volume = items[i] is YamlMappingNode map ? ReadVolume(map, itemPath) : ParseVolume(items[i], itemPath);
            if (volume is not null)
            {
                volumes.Add(volume);
            }
        }

        return volumes;
    }

    private VolumeSpec? ParseVolume(YamlNode node, string path)
    {
        var text = reader.Text(node, path);
        var parts = text?.Split(':');
        if (parts is { Length: 2 or 3 } && (parts.Length == 2 || parts[2] is "ro" or "rw"))
        {
            return new VolumeSpec { Source = parts[0], Target = parts[1], ReadOnly = parts.Length == 3 && parts[2] == "ro" };
        }

        if (text is not null || NodeReader.IsNull(node))
        {
            reader.Error(path, node, $"expected 'source:/target' or 'source:/target:ro', or a mapping {{ source, target, readOnly }}, found {(text is null ? "nothing" : $"'{text}'")}");
        }

        return null;
    }

    private VolumeSpec? ReadVolume(YamlMappingNode map, string path)
    {
        string? source = null;
        string? target = null;
        var readOnly = false;
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, VolumeFields))
        {
            switch (key)
            {
                case "source":
                    source = reader.Text(value, fieldPath);
                    break;
                case "target":
                    target = reader.Text(value, fieldPath);
                    break;
                default:
                    readOnly = reader.Boolean(value, fieldPath) ?? false;
                    break;
            }
        }

        if (source is null)
        {
            reader.Error($"{path}.source", map, "required; expected a named volume like data or an absolute host path");
        }

        if (target is null)
        {
            reader.Error($"{path}.target", map, "required; expected an absolute path inside the container like /data");
        }

        return source is null || target is null ? null : new VolumeSpec { Source = source, Target = target, ReadOnly = readOnly };
    }

    private HealthSpec ReadHealth(YamlNode node, string path)
    {
        var health = new HealthSpec();
        if (reader.Mapping(node, path, "{ path: /health, interval: 10s }") is not { } map)
        {
            return health;
        }

        foreach (var (key, fieldPath, value) in reader.Fields(map, path, HealthFields))
        {
            health = key switch
            {
                "path" => health with { Path = reader.Text(value, fieldPath) },
                "interval" => health with { Interval = reader.Duration(value, fieldPath) ?? health.Interval },
                "timeout" => reader.Duration(value, fieldPath) is { } timeout ? health with { Timeout = timeout } : health,
                "retries" => health with { Retries = reader.Integer(value, fieldPath, "a whole number of at least 1") ?? health.Retries },
                _ => health with { StartPeriod = reader.Duration(value, fieldPath) ?? health.StartPeriod },
            };
        }

        return health;
    }

    private RestartSpec ReadRestart(YamlNode node, string path)
    {
        var restart = new RestartSpec();
        if (reader.Mapping(node, path, "{ policy: on-failure, maxBackoff: 1m }") is not { } map)
        {
            return restart;
        }

        foreach (var (key, fieldPath, value) in reader.Fields(map, path, RestartFields))
        {
            if (key == "maxBackoff")
            {
                restart = restart with { MaxBackoff = reader.Duration(value, fieldPath) ?? restart.MaxBackoff };
                continue;
            }

            switch (reader.Text(value, fieldPath))
            {
                case null:
                    break;
                case "always":
                    restart = restart with { Policy = RestartPolicy.Always };
                    break;
                case "on-failure":
                    restart = restart with { Policy = RestartPolicy.OnFailure };
                    break;
                case "never":
                    restart = restart with { Policy = RestartPolicy.Never };
                    break;
                case var other:
                    reader.Error(fieldPath, value, $"expected always, on-failure or never, found '{other}'");
                    break;
            }
        }

        return restart;
    }

    private PersistenceSpec ReadPersistence(YamlNode node, string path)
    {
        var persistence = new PersistenceSpec();
        if (reader.Mapping(node, path, "{ maxAttempts: 3, backoff: 500ms, retentionPeriod: 14d }") is not { } map)
        {
            return persistence;
        }

        foreach (var (key, fieldPath, value) in reader.Fields(map, path, PersistenceFields))
        {
            persistence = key switch
            {
                "enabled" => persistence with { Enabled = reader.Boolean(value, fieldPath) ?? persistence.Enabled },
                "maxAttempts" => persistence with { MaxAttempts = reader.Integer(value, fieldPath, "a whole number from 1 to 100") ?? persistence.MaxAttempts },
                "backoff" => persistence with { Backoff = reader.Duration(value, fieldPath) ?? persistence.Backoff },
                "maxBackoff" => reader.Duration(value, fieldPath) is { } maxBackoff ? persistence with { MaxBackoff = maxBackoff } : persistence,
                "requestTimeout" => persistence with { RequestTimeout = reader.Duration(value, fieldPath) ?? persistence.RequestTimeout },
                _ => persistence with { RetentionPeriod = reader.Duration(value, fieldPath) ?? persistence.RetentionPeriod },
            };
        }

        return persistence;
    }

    private string Resolve(string path) =>
        baseDirectory is null || path.Length == 0 || Path.IsPathRooted(path)
            ? path
            : Path.GetFullPath(Path.Combine(baseDirectory, path));
}
