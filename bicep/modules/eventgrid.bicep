// Blob notifications: an Event Grid system topic on the storage account and a subscription that delivers
// BlobCreated events of the landing container to the notifications queue. Delivery authenticates with the
// topic's own identity (the account accepts no keys), which may only send messages to that one queue.

param name string

param location string

param storageAccountName string

param landingContainerName string

param notificationsQueueName string

var storageQueueDataMessageSender = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource queues 'queueServices' existing = {
    name: 'default'

    resource notifications 'queues' existing = {
      name: notificationsQueueName
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource sendToQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::queues::notifications.id, topic.id, storageQueueDataMessageSender)
  scope: account::queues::notifications
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataMessageSender)
  }
}

resource landingToQueue 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'landing-blob-created'
  dependsOn: [
    sendToQueue // the topic's identity must be allowed to send before Event Grid validates the destination
  ]
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: account.id
          queueName: notificationsQueueName
          queueMessageTimeToLiveInSeconds: -1
        }
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${landingContainerName}/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output topicName string = topic.name
output subscriptionName string = landingToQueue.name
