namespace Berth.Core.Specs;

/// <summary>Semantic rules of an <see cref="AgentSpec"/>, independent of how it was written (YAML file or JSON body).</summary>
public static partial class AgentSpecValidator
{
    /// <summary>Smallest memory limit accepted: 6Mi, Docker's own minimum for a container.</summary>
    public const long MinimumMemoryBytes = ResourceRules.MinimumMemoryBytes;

    /// <summary>Largest replica count accepted: 100.</summary>
    public const int MaximumReplicas = 100;

    /// <summary>Checks every rule and returns every problem found (empty when the spec is valid).</summary>
    /// <param name="spec">The spec to check.</param>
    /// <param name="pathPrefix">Prefix of error paths. Default <c>spec</c>, giving <c>spec.port</c>; with <c>spec</c> the name is reported as <c>metadata.name</c>, as written in YAML, otherwise as <c>{prefix}.name</c>. An empty prefix gives bare paths (<c>port</c>, <c>name</c>).</param>
    /// <param name="context">What the server knows that the spec cannot tell, such as its data directory, which volumes may not mount. Default null: only the built-in rules.</param>
    public static IReadOnlyList<SpecError> Validate(AgentSpec spec, string pathPrefix = "spec", SpecValidationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(pathPrefix);
        var at = new Paths(pathPrefix);
        var errors = new List<SpecError>();

        ValidateName(spec, pathPrefix == "spec" ? "metadata.name" : at["name"], errors);
        ValidateSource(spec, at, errors);
        ValidateCommon(spec, at, errors);
        ValidateEnv(spec, at, errors);
        ValidateFiles(spec, at, errors);
        ValidateHealth(spec.Health, at, errors);
        ResourceRules.Validate(spec.Resources, at["resources"], errors);
        ValidateVolumes(spec, at, context, errors);
        ValidateSecurity(spec, at, errors);
        ValidateLists(spec, at, errors);
        ValidateAccess(spec, at, errors);
        ValidateMcp(spec.Mcp, at, errors);
        ValidateA2a(spec.A2a, at, errors);
        ValidatePersistence(spec.Persistence, at, errors);
        return errors;
    }

    private static void ValidateName(AgentSpec spec, string path, List<SpecError> errors)
    {
        if (string.IsNullOrEmpty(spec.Name))
        {
            errors.Add(new SpecError(path, $"required; expected {SpecNames.DnsLabelHint}"));
        }
        else if (!SpecNames.IsDnsLabel(spec.Name))
        {
            errors.Add(new SpecError(path, $"'{spec.Name}' is not valid; expected {SpecNames.DnsLabelHint}"));
        }
    }

    private static void ValidateSource(AgentSpec spec, Paths at, List<SpecError> errors)
    {
        var set = new List<string>();
        if (spec.Image is not null)
        {
            set.Add("image");
        }

        if (spec.Build is not null)
        {
            set.Add("build");
        }

        if (spec.Process is not null)
        {
            set.Add("process");
        }

        if (set.Count == 0)
        {
            errors.Add(new SpecError(at.Root, "one of image, build or process is required"));
        }
        else if (set.Count > 1)
        {
            errors.Add(new SpecError(at[set[1]], $"exactly one of image, build or process may be set, found {string.Join(" and ", set)}"));
        }

        if (spec.Image is not null && !ImageReference.IsPlausible(spec.Image))
        {
            errors.Add(new SpecError(at["image"], $"'{spec.Image}' is not a valid image reference; expected something like local/echo:1 (lowercase repository, no spaces)"));
        }

        if (spec.Build is { } build)
        {
            if (build.Context.Length == 0)
            {
                errors.Add(new SpecError(at["build.context"], "required; expected the build context directory, like ./app"));
            }
            else if (!Path.IsPathFullyQualified(build.Context))
            {
                errors.Add(new SpecError(at["build.context"], $"'{build.Context}' is not an absolute directory; relative paths are resolved against the spec file's directory when read from a file"));
            }

            if (string.IsNullOrWhiteSpace(build.Dockerfile))
            {
                errors.Add(new SpecError(at["build.dockerfile"], "expected a Dockerfile path inside the context, default Dockerfile"));
            }
        }

        if (spec.Process is { } process)
        {
            if (string.IsNullOrWhiteSpace(process.Command))
            {
                errors.Add(new SpecError(at["process.command"], "required; expected a program name on PATH or a path to an executable"));
            }

            if (process.WorkingDir is { } dir && !Path.IsPathFullyQualified(dir))
            {
                errors.Add(new SpecError(at["process.workingDir"], $"'{dir}' is not an absolute directory; relative paths are resolved against the spec file's directory when read from a file"));
            }
        }
    }

    private static void ValidateCommon(AgentSpec spec, Paths at, List<SpecError> errors)
    {
        if (spec.Kind == AgentKind.Process)
        {
            if (spec.Command.Count > 0)
            {
                errors.Add(new SpecError(at["command"], "only container agents take command; for a process agent use process.command and process.args"));
            }

            if (spec.Args.Count > 0)
            {
                errors.Add(new SpecError(at["args"], "only container agents take args; for a process agent use process.args"));
            }

            if (spec.Volumes.Count > 0)
            {
                errors.Add(new SpecError(at["volumes"], "only container agents take volumes; a process agent reads the host's files directly"));
            }

            if (spec.Security is not null)
            {
                errors.Add(new SpecError(at["security"], "only container agents take security; a process agent runs as the server's own user, with its privileges"));
            }
        }

        if (spec.Port is < 1 or > 65535)
        {
            errors.Add(new SpecError(at["port"], $"{spec.Port} is out of range; expected a port from 1 to 65535"));
        }

        if (spec.Replicas is < 0 or > MaximumReplicas)
        {
            errors.Add(new SpecError(at["replicas"], $"{spec.Replicas} is out of range; expected 0 to {MaximumReplicas}"));
        }

        if (spec.Restart.MaxBackoff <= TimeSpan.Zero)
        {
            errors.Add(new SpecError(at["restart.maxBackoff"], "must be more than zero; expected a duration like 30s, 5m or 1h"));
        }

        if (!Enum.IsDefined(spec.Restart.Policy))
        {
            errors.Add(new SpecError(at["restart.policy"], "expected always, on-failure or never"));
        }
    }

    private static void ValidateEnv(AgentSpec spec, Paths at, List<SpecError> errors)
    {
        foreach (var (name, value) in spec.Env)
        {
            if (!SpecNames.IsEnvName(name))
            {
                errors.Add(new SpecError(SpecPaths.Member(at["env"], name), "not a valid variable name; expected letters, digits and '_', not starting with a digit"));
            }

            CheckReferences(value ?? string.Empty, SpecPaths.Member(at["env"], name), errors);
        }

        CheckNoSecrets(spec.Command, at["command"], errors);
        CheckNoSecrets(spec.Args, at["args"], errors);
        CheckNoSecrets(spec.Process?.Args ?? [], at["process.args"], errors);
    }

    internal static void CheckReferences(string value, string path, List<SpecError> errors)
    {
        foreach (var (secret, valid) in SecretReference.Scan(value))
        {
            if (!valid)
            {
                errors.Add(new SpecError(path, $"'${{secret:{secret}' is not a valid secret reference; expected ${{secret:NAME}} with letters, digits, '_', '.' or '-' in NAME"));
            }
        }
    }

    internal static void CheckNoSecrets(IReadOnlyList<string> values, string path, List<SpecError> errors)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Contains("${secret:", StringComparison.Ordinal))
            {
                errors.Add(new SpecError($"{path}[{i}]", "secret references are resolved only in env values and files; put it in env (API_KEY: ${secret:NAME}) and read the variable instead"));
            }
        }
    }

    internal static void ValidateHealth(HealthSpec health, Paths at, List<SpecError> errors)
    {
        if (health.Path is { } path && HealthPathProblem(path) is { } problem)
        {
            errors.Add(new SpecError(at["health.path"], problem));
        }

        if (health.Interval <= TimeSpan.Zero)
        {
            errors.Add(new SpecError(at["health.interval"], "must be more than zero; expected a duration like 10s"));
        }

        if (health.Timeout <= TimeSpan.Zero)
        {
            errors.Add(new SpecError(at["health.timeout"], "must be more than zero; expected a duration like 2s"));
        }
        else if (health.Interval > TimeSpan.Zero && health.Timeout > health.Interval)
        {
            errors.Add(new SpecError(at["health.timeout"], $"{Duration.Format(health.Timeout)} is longer than the interval {Duration.Format(health.Interval)}; expected a timeout no longer than the interval"));
        }

        if (health.Retries < 1)
        {
            errors.Add(new SpecError(at["health.retries"], $"{health.Retries} is out of range; expected at least 1"));
        }

        if (health.StartPeriod < TimeSpan.Zero)
        {
            errors.Add(new SpecError(at["health.startPeriod"], "must not be negative; expected a duration like 5s"));
        }
    }

    // The prober always uses the instance's own address, but a path that could name another (//host, a scheme, a
    // backslash some parsers turn into '/') is refused outright, so a spec says what it does.
    private static string? HealthPathProblem(string path)
    {
        const string Expected = "expected an HTTP path on the agent starting with a single '/', like /health";
        if (path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"contains a space or a control character; {Expected}";
        }

        if (!path.StartsWith('/'))
        {
            return $"'{path}' is not a valid path; {Expected}";
        }

        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            return $"'{path}' starts with '//', which names another host; {Expected}";
        }

        return path.Contains('\\', StringComparison.Ordinal)
            ? $"'{path}' contains a backslash; {Expected}"
            : null;
    }

    private static void ValidateLists(AgentSpec spec, Paths at, List<SpecError> errors)
    {
        CapabilityRules.Validate(spec.Capabilities, at["capabilities"], errors);

        var dependencies = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.DependsOn.Count; i++)
        {
            var dependency = spec.DependsOn[i];
            var path = at[$"dependsOn[{i}]"];
            if (!SpecNames.IsDnsLabel(dependency))
            {
                errors.Add(new SpecError(path, $"'{dependency}' is not an agent name; expected {SpecNames.DnsLabelHint}"));
            }
            else if (dependency == spec.Name)
            {
                errors.Add(new SpecError(path, "an agent cannot depend on itself; remove it from dependsOn"));
            }
            else if (!dependencies.Add(dependency))
            {
                errors.Add(new SpecError(path, $"'{dependency}' is listed twice; expected each agent once"));
            }
        }
    }

    internal readonly struct Paths(string prefix)
    {
        public string Root => prefix.Length == 0 ? "spec" : prefix;

        public string this[string field] => prefix.Length == 0 ? field : $"{prefix}.{field}";
    }
}
