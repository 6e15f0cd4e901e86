using System.Globalization;
using Berth.Core.Specs.Yaml;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Specs;

namespace Berth.Core.Specs;

/// <summary>Writes an <see cref="AgentSpec"/> or a <see cref="WorkflowSpec"/> as a spec document that <see cref="SpecReader"/> reads back to an equal spec.</summary>
public static class SpecWriter
{
    private static readonly HealthSpec DefaultHealth = new();
    private static readonly RestartSpec DefaultRestart = new();
    private static readonly PersistenceSpec DefaultPersistence = new();

    /// <summary>A full document (apiVersion, kind, metadata, spec) omitting defaults and empty collections; durations written as <c>30s</c>, sizes as <c>512Mi</c>.</summary>
    public static string ToYaml(AgentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Document("Agent", spec.Name, yaml =>
        {
            WriteSource(yaml, spec);
            WriteLists(yaml, spec);
            WriteSettings(yaml, spec);
        });
    }

    /// <summary>A full <c>kind: Workflow</c> document omitting defaults; durations written as <c>30s</c>, JSON values (bodies, defaults, inputs) in flow style.</summary>
    public static string ToYaml(WorkflowSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Document("Workflow", spec.Name, yaml => new WorkflowYamlWriter(yaml).Write(spec));
    }

    // The envelope every kind shares: apiVersion, kind, metadata.name, then the spec mapping written by writeSpec.
    private static string Document(string kind, string name, Action<YamlTextWriter> writeSpec)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var yaml = new YamlTextWriter(output);
        yaml.BeginMap();
        yaml.Field("apiVersion", SpecReader.ApiVersion);
        yaml.Field("kind", kind);
        yaml.BeginMap("metadata");
        yaml.Field("name", name);
        yaml.EndMap();
        yaml.BeginMap("spec");
        writeSpec(yaml);
        yaml.EndMap();
        yaml.EndMap();
        yaml.Finish();
        return output.ToString();
    }

    private static void WriteSource(YamlTextWriter yaml, AgentSpec spec)
    {
        if (spec.Image is not null)
        {
            yaml.Field("image", spec.Image);
        }

        if (spec.Build is { } build)
        {
            yaml.BeginMap("build");
            yaml.Field("context", build.Context);
            if (build.Dockerfile != new BuildSpec { Context = build.Context }.Dockerfile)
            {
                yaml.Field("dockerfile", build.Dockerfile);
            }

            yaml.EndMap();
        }

        if (spec.Process is { } process)
        {
            yaml.BeginMap("process");
            yaml.Field("command", process.Command);
            if (process.Args.Count > 0)
            {
                yaml.List("args", process.Args);
            }

            if (process.WorkingDir is not null)
            {
                yaml.Field("workingDir", process.WorkingDir);
            }

            yaml.EndMap();
        }

        if (spec.Command.Count > 0)
        {
            yaml.List("command", spec.Command);
        }

        if (spec.Args.Count > 0)
        {
            yaml.List("args", spec.Args);
        }
    }

    private static void WriteLists(YamlTextWriter yaml, AgentSpec spec)
    {
        if (spec.Port != 8000)
        {
            yaml.PlainField("port", spec.Port.ToString(CultureInfo.InvariantCulture));
        }

        if (spec.Env.Count > 0)
        {
            yaml.BeginMap("env");
            foreach (var (name, value) in spec.Env)
            {
                yaml.Field(name, value);
            }

            yaml.EndMap();
        }

        if (spec.Files.Count > 0)
        {
            yaml.BeginMap("files");
            foreach (var (path, content) in spec.Files)
            {
                yaml.Field(path, content);
            }

            yaml.EndMap();
        }

        if (spec.Resources is { } resources)
        {
            ResourcesBlockWriter.Write(yaml, resources);
        }

        if (spec.Volumes.Count > 0)
        {
            yaml.BeginList("volumes");
            foreach (var volume in spec.Volumes)
            {
                WriteVolume(yaml, volume);
            }

            yaml.EndList();
        }

        if (spec.Security is { } security)
        {
            WriteSecurity(yaml, security);
        }
    }

    private static void WriteSecurity(YamlTextWriter yaml, SecuritySpec security)
    {
        yaml.BeginMap("security", flow: true);
        if (security.Capabilities is { } capabilities)
        {
            yaml.BeginMap("capabilities", flow: true);
            yaml.List("add", capabilities.Add);
            yaml.EndMap();
        }

        if (security.ReadOnlyRootFilesystem)
        {
            yaml.PlainField("readOnlyRootFilesystem", "true");
        }

        if (security.RunAsUser is not null)
        {
            yaml.Field("runAsUser", security.RunAsUser);
        }

        yaml.EndMap();
    }

    private static void WriteVolume(YamlTextWriter yaml, VolumeSpec volume)
    {
        if (!volume.Source.Contains(':', StringComparison.Ordinal) && !volume.Target.Contains(':', StringComparison.Ordinal) && volume.Source.Length > 0)
        {
            yaml.Text($"{volume.Source}:{volume.Target}{(volume.ReadOnly ? ":ro" : string.Empty)}");
            return;
        }

        yaml.BeginMap(flow: true);
        yaml.Field("source", volume.Source);
        yaml.Field("target", volume.Target);
        if (volume.ReadOnly)
        {
            yaml.PlainField("readOnly", "true");
        }

        yaml.EndMap();
    }

    private static void WriteSettings(YamlTextWriter yaml, AgentSpec spec)
    {
        var health = spec.Health;
        if (health != DefaultHealth)
        {
            yaml.BeginMap("health");
            if (health.Path is not null)
            {
                yaml.Field("path", health.Path);
            }

            WriteDuration(yaml, "interval", health.Interval, DefaultHealth.Interval);
            WriteDuration(yaml, "timeout", health.Timeout, HealthSpec.DefaultTimeoutFor(health.Interval));
            if (health.Retries != DefaultHealth.Retries)
            {
                yaml.PlainField("retries", health.Retries.ToString(CultureInfo.InvariantCulture));
            }

            WriteDuration(yaml, "startPeriod", health.StartPeriod, DefaultHealth.StartPeriod);
            yaml.EndMap();
        }

        if (spec.Replicas != 1)
        {
            yaml.PlainField("replicas", spec.Replicas.ToString(CultureInfo.InvariantCulture));
        }

        if (spec.Restart != DefaultRestart)
        {
            yaml.BeginMap("restart");
            if (spec.Restart.Policy != DefaultRestart.Policy)
            {
                yaml.Field("policy", spec.Restart.Policy switch
                {
                    RestartPolicy.OnFailure => "on-failure",
                    RestartPolicy.Never => "never",
                    _ => "always",
                });
            }

            WriteDuration(yaml, "maxBackoff", spec.Restart.MaxBackoff, DefaultRestart.MaxBackoff);
            yaml.EndMap();
        }

        WritePersistence(yaml, spec.Persistence);
        if (spec.Capabilities.Count > 0)
        {
            yaml.List("capabilities", spec.Capabilities);
        }

        if (spec.DependsOn.Count > 0)
        {
            yaml.List("dependsOn", spec.DependsOn);
        }

        if (spec.Access is { } access)
        {
            yaml.BeginMap("access", flow: true);
            yaml.List("agents", access.Agents);
            yaml.EndMap();
        }
    }

    private static void WritePersistence(YamlTextWriter yaml, PersistenceSpec persistence)
    {
        if (persistence == DefaultPersistence)
        {
            return;
        }

        yaml.BeginMap("persistence");
        if (persistence.Enabled != DefaultPersistence.Enabled)
        {
            yaml.PlainField("enabled", persistence.Enabled ? "true" : "false");
        }

        if (persistence.MaxAttempts != DefaultPersistence.MaxAttempts)
        {
            yaml.PlainField("maxAttempts", persistence.MaxAttempts.ToString(CultureInfo.InvariantCulture));
        }

        WriteDuration(yaml, "backoff", persistence.Backoff, DefaultPersistence.Backoff);
        WriteDuration(yaml, "maxBackoff", persistence.MaxBackoff, new PersistenceSpec { Backoff = persistence.Backoff }.MaxBackoff);
        WriteDuration(yaml, "requestTimeout", persistence.RequestTimeout, DefaultPersistence.RequestTimeout);
        WriteDuration(yaml, "retentionPeriod", persistence.RetentionPeriod, DefaultPersistence.RetentionPeriod);
        yaml.EndMap();
    }

    private static void WriteDuration(YamlTextWriter yaml, string key, TimeSpan value, TimeSpan defaultValue)
    {
        if (value != defaultValue)
        {
            yaml.Field(key, Duration.Format(value));
        }
    }
}
