using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq.Amqp;
using Berth.Messaging.RabbitMq.Leases;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Berth.Messaging.RabbitMq;

internal sealed partial class RabbitMqMessageBroker
{
    public async Task<PublishResult> PublishAsync(string topic, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(message);
        if (!_topics.TryGetValue(topic, out var spec))
        {
            throw new UnknownTopicException(topic);
        }

        var problems = MessageLimits.Check(message);
        var body = AmqpMessage.Body(message.Body);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(message));
        }

        if (message.DedupeId is not { } dedupeId || spec.DedupeWindow <= TimeSpan.Zero)
        {
            return new PublishResult(await PublishNewAsync(spec, message, body, cancellationToken), Duplicate: false);
        }

        // One publish per Message-Id at a time: a repeat that arrives while the first is being confirmed waits for it,
        // and so never answers "duplicate" for a message that then fails to commit.
        var gate = _dedupeGates[(uint)HashCode.Combine(topic, dedupeId) % (uint)_dedupeGates.Length];
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (await _bookkeeping.FindDedupeAsync(topic, dedupeId, _time.GetUtcNow(), cancellationToken) is { } existing)
            {
                return new PublishResult(existing, Duplicate: true);
            }

            var id = await PublishNewAsync(spec, message, body, cancellationToken);
            await _bookkeeping.RecordDedupeAsync(topic, dedupeId, id, _time.GetUtcNow() + spec.DedupeWindow, cancellationToken);
            return new PublishResult(id, Duplicate: false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string> PublishNewAsync(TopicSpec topic, OutgoingMessage message, byte[] body, CancellationToken cancellationToken)
    {
        var stored = new StoredMessage
        {
            Id = NewId(),
            Topic = topic.Name,
            Key = message.Key,
            Attributes = new Dictionary<string, string>(message.Attributes, StringComparer.Ordinal),
            Body = message.Body?.DeepClone(),
            PublishedAt = _time.GetUtcNow(),
            Publisher = message.Publisher,
            DedupeId = message.DedupeId,
            CorrelationId = message.CorrelationId,
            ReplyTo = message.ReplyTo,
        };
        await PublishConfirmedAsync(AmqpNames.Exchange(topic.Name), mandatory: false, AmqpMessage.Properties(stored, 0, null), body, prepare: null, $"publish to topic '{topic.Name}'", cancellationToken);
        return stored.Id;
    }

    /// <summary>
    /// Puts <paramref name="message"/> straight into one queue (through the default exchange) with its delivery count:
    /// a subscription's own queue, or one of its delay queues, declared first.
    /// </summary>
    private Task PublishToQueueAsync(
        SubscriptionLane lane, long delayMs, StoredMessage message, int deliveries, string? lastError, CancellationToken cancellationToken)
    {
        var queue = delayMs == 0 ? AmqpNames.Queue(lane.Name) : AmqpNames.DelayQueue(lane.Name, delayMs);
        Func<bool, CancellationToken, Task>? prepare = delayMs == 0
            ? null
            : (again, token) => DeclareDelayQueueAsync(lane, delayMs, again, token);
        // mandatory: a queue that is missing (deleted by hand, or a delay queue that expired) returns the message instead of
        // dropping it, and the retry declares the queue again.
        return PublishConfirmedAsync(string.Empty, queue, mandatory: true, AmqpMessage.Properties(message, deliveries, lastError),
            AmqpMessage.Body(message.Body), prepare, $"put message '{message.Id}' back for subscription '{lane.Name}'", cancellationToken);
    }

    private Task PublishConfirmedAsync(
        string exchange, bool mandatory, BasicProperties properties, byte[] body, Func<bool, CancellationToken, Task>? prepare, string what, CancellationToken cancellationToken) =>
        PublishConfirmedAsync(exchange, string.Empty, mandatory, properties, body, prepare, what, cancellationToken);

    /// <summary>
    /// Publishes and waits for the publisher confirm. While RabbitMQ is unreachable, restarting or refusing, it tries again
    /// (declaring the topology anew) until <see cref="RabbitMqOptions.OperationTimeout"/>, then fails with
    /// <see cref="MessageBrokerUnavailableException"/>: a publish never hangs. A retry after a lost confirm may store the
    /// message twice, which at-least-once delivery allows.
    /// </summary>
    private async Task PublishConfirmedAsync(
        string exchange, string routingKey, bool mandatory, BasicProperties properties, byte[] body,
        Func<bool, CancellationToken, Task>? prepare, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.OperationTimeout);
        Exception? last = null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await EnsureTopologyAsync(deadline.Token);
                if (prepare is not null)
                {
                    await prepare(attempt > 0, deadline.Token);
                }

                var channel = await _connection.PublisherAsync(deadline.Token);
                await channel.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, deadline.Token);
                return;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw Unavailable(what, last ?? ex);
            }
            catch (Exception ex) when (AmqpFailures.IsTransient(ex))
            {
                last = ex;
                if (AmqpFailures.ReplyCode(ex) == 404)
                {
                    RedeclareAll();
                }

                RabbitMqLog.PublishRetry(_logger, what, attempt + 1, ex.Message);
            }

            try
            {
                // Real time on purpose: this waits for a server to come back, not for anything the broker's clock decides.
                await Task.Delay(RetryPause, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Unavailable(what, last);
            }
        }
    }

    /// <summary>
    /// Declares the delay queue of <paramref name="lane"/> that holds messages for <paramref name="delayMs"/>: queue-level TTL,
    /// dead-lettered through the default exchange into the subscription's queue. It expires (<c>x-expires</c>) once unused for
    /// twice its wait plus ten minutes, so waits a client asked for once do not leave queues behind; declaring renews that, so
    /// it is declared again whenever a quarter of that time has passed — no message can still be in it when it goes.
    /// </summary>
    private async Task DeclareDelayQueueAsync(SubscriptionLane lane, long delayMs, bool again, CancellationToken cancellationToken)
    {
        var expiresMs = (2 * delayMs) + 600_000;
        var now = Environment.TickCount64;
        lock (lane.DelayQueuesDeclaredAt)
        {
            if (!again && lane.DelayQueuesDeclaredAt.TryGetValue(delayMs, out var declaredAt) && now - declaredAt < expiresMs / 4
                && lane.Generation == _connection.Generation)
            {
                return;
            }
        }

        await using (var channel = await _connection.OpenChannelAsync(cancellationToken))
        {
            await DeclareDelayQueueAsync(channel, lane.Name, delayMs, cancellationToken);
            await channel.CloseAsync(cancellationToken);
        }

        await _bookkeeping.AddDelayQueueAsync(lane.Name, delayMs, cancellationToken);
        lock (lane.DelayQueuesDeclaredAt)
        {
            lane.DelayQueuesDeclaredAt[delayMs] = now;
        }
    }

    /// <summary>Declares (or renews) a delay queue on <paramref name="channel"/> and returns how many messages wait in it.</summary>
    private static async Task<uint> DeclareDelayQueueAsync(IChannel channel, string subscription, long delayMs, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["x-message-ttl"] = delayMs,
            ["x-dead-letter-exchange"] = string.Empty,
            ["x-dead-letter-routing-key"] = AmqpNames.Queue(subscription),
            ["x-expires"] = (2 * delayMs) + 600_000,
        };
        var declared = await channel.QueueDeclareAsync(
            AmqpNames.DelayQueue(subscription, delayMs), durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);
        return declared.MessageCount;
    }

    /// <summary>Publishes a dead letter to its topic's <c>deadLetter</c> topic, with <c>berth.dead.*</c> attributes saying where it died.</summary>
    private async Task PublishDeadLetterAsync(string deadLetterTopic, string subscription, StoredMessage message, string? reason, CancellationToken cancellationToken)
    {
        if (!_topics.ContainsKey(deadLetterTopic))
        {
            RabbitMqLog.DeadLetterTopicMissing(_logger, deadLetterTopic, message.Id, subscription);
            return;
        }

        var attributes = new Dictionary<string, string>(message.Attributes, StringComparer.Ordinal)
        {
            [DeadLetterAttributes.Subscription] = subscription,
            [DeadLetterAttributes.Message] = message.Id,
        };
        if (AmqpMessage.Bounded(reason) is { } why)
        {
            attributes[DeadLetterAttributes.Reason] = why.Length > MessageLimits.MaxTextLength ? why[..MessageLimits.MaxTextLength] : why;
        }

        var dead = message with
        {
            Id = NewId(),
            Topic = deadLetterTopic,
            Attributes = attributes,
            PublishedAt = _time.GetUtcNow(),
            Publisher = DeadLetterAttributes.Publisher,
            DedupeId = null,
        };
        try
        {
            await PublishConfirmedAsync(AmqpNames.Exchange(deadLetterTopic), mandatory: false, AmqpMessage.Properties(dead, 0, null),
                AmqpMessage.Body(dead.Body), prepare: null, $"publish a dead letter to topic '{deadLetterTopic}'", cancellationToken);
        }
        catch (MessageBrokerUnavailableException ex)
        {
            // The dead letter is kept on its subscription either way; only the copy on the dead-letter topic is missing.
            RabbitMqLog.DeadLetterPublishFailed(_logger, deadLetterTopic, message.Id, subscription, ex.Message);
        }
    }
}
