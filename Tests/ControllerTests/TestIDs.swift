import BrokerCore

/// `BrokerID`s from integers, for short test expectations.
func b(_ ids: Int32...) -> [BrokerID] { ids.map { BrokerID($0) } }

func tp(_ topic: String, _ partition: Int32) -> TopicPartition { TopicPartition(topic, partition) }
