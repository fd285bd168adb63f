// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { IERC1271 } from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import { ECDSA } from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice A smart wallet that approves, through ERC-1271, what its owner key signed.
contract ERC1271WalletMock is IERC1271 {
    address public immutable OWNER;

    constructor(address owner) {
        OWNER = owner;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        (address recovered, ECDSA.RecoverError recoverError, ) = ECDSA.tryRecoverCalldata(hash, signature);
        bool valid = recoverError == ECDSA.RecoverError.NoError && recovered == OWNER;
        magicValue = valid ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
